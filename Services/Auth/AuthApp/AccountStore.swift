import CairnAuthKit
import Foundation
import Logging
import PostgresNIO

/// Tenants, users and invitations in `cairn_auth`. Every user query is scoped by tenant.
struct AccountStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// What every user query selects, in this order (qualified by `alias` in joins).
    static func userColumns(of alias: String? = nil) -> String {
        ["id", "tenant_id", "email", "display_name", "password_hash", "role", "status", "locked_until", "mfa_secret", "mfa_enabled",
         "created_at"].map { column in alias.map { "\($0).\(column)" } ?? column }.joined(separator: ", ")
    }

    /// The decoded form of ``userColumns(of:)``.
    typealias UserRow = (UUID, UUID, String, String, String, String, String, Date?, Data?, Bool, Date)

    static func user(_ row: UserRow) -> User {
        User(
            id: row.0, tenantID: row.1, email: row.2, displayName: row.3, passwordHash: row.4, role: Role(rawValue: row.5) ?? .member,
            status: UserStatus(rawValue: row.6) ?? .disabled, lockedUntil: row.7, mfaSecret: row.8, mfaEnabled: row.9, createdAt: row.10
        )
    }

    private func users(_ query: PostgresQuery, on connection: PostgresConnection? = nil) async throws -> [User] {
        let rows = if let connection { try await connection.query(query, logger: logger) } else { try await client.query(query, logger: logger) }
        var users: [User] = []
        for try await row in rows.decode(UserRow.self) { users.append(Self.user(row)) }
        return users
    }

    // MARK: Tenants

    /// Creates a tenant with a unique slug derived from its name (a suffix is added if taken).
    func createTenant(name: String, on connection: PostgresConnection) async throws -> Tenant {
        let base = AccountInput.slug(from: name)
        for attempt in 0..<5 {
            let slug = attempt == 0 ? base : "\(base)-\(OpaqueToken.generate().prefix(6).lowercased().filter { $0.isLetter || $0.isNumber })"
            let id = UUID()
            let rows = try await connection.query("""
                INSERT INTO tenants (id, name, slug) VALUES (\(id), \(name), \(slug)) ON CONFLICT (slug) DO NOTHING
                RETURNING id, name, slug, status, plan, created_at
                """, logger: logger)
            for try await row in rows.decode((UUID, String, String, String, String, Date).self) {
                return Tenant(id: row.0, name: row.1, slug: row.2, status: row.3, plan: row.4, createdAt: row.5)
            }
        }
        throw AuthError.conflict("could not find a free slug for this organisation name")
    }

    func tenant(id: UUID) async throws -> Tenant? {
        try await tenants("SELECT id, name, slug, status, plan, created_at FROM tenants WHERE id = \(id)").first
    }

    func tenant(slug: String) async throws -> Tenant? {
        try await tenants("SELECT id, name, slug, status, plan, created_at FROM tenants WHERE slug = \(slug)").first
    }

    private func tenants(_ query: PostgresQuery) async throws -> [Tenant] {
        var tenants: [Tenant] = []
        for try await row in try await client.query(query, logger: logger).decode((UUID, String, String, String, String, Date).self) {
            tenants.append(Tenant(id: row.0, name: row.1, slug: row.2, status: row.3, plan: row.4, createdAt: row.5))
        }
        return tenants
    }

    // MARK: Users

    func createUser(
        tenantID: UUID, email: String, displayName: String, passwordHash: String, role: Role, on connection: PostgresConnection
    ) async throws -> User {
        let id = UUID()
        let query: PostgresQuery = """
            INSERT INTO users (id, tenant_id, email, display_name, password_hash, role)
            VALUES (\(id), \(tenantID), \(email), \(displayName), \(passwordHash), \(role.rawValue))
            ON CONFLICT (tenant_id, email) DO NOTHING
            RETURNING \(unescaped: Self.userColumns())
            """
        guard let user = try await users(query, on: connection).first else {
            throw AuthError.conflict("a user with this email already exists in the organisation")
        }
        return user
    }

    /// The user with `email` in the tenant with `slug`, if both exist.
    func user(tenantSlug: String, email: String) async throws -> User? {
        try await users("""
            SELECT \(unescaped: Self.userColumns(of: "u"))
            FROM users u JOIN tenants t ON t.id = u.tenant_id
            WHERE t.slug = \(tenantSlug) AND u.email = \(email) AND t.status = 'active'
            """).first
    }

    func user(id: UUID, tenantID: UUID) async throws -> User? {
        try await users("""
            SELECT \(unescaped: Self.userColumns())
            FROM users WHERE id = \(id) AND tenant_id = \(tenantID)
            """).first
    }

    /// Only for flows that already proved the user (an MFA challenge); requests use the
    /// tenant-scoped lookup.
    func user(byID id: UUID) async throws -> User? {
        try await users("""
            SELECT \(unescaped: Self.userColumns())
            FROM users WHERE id = \(id)
            """).first
    }

    func users(tenantID: UUID) async throws -> [User] {
        try await users("""
            SELECT \(unescaped: Self.userColumns())
            FROM users WHERE tenant_id = \(tenantID) ORDER BY created_at, id
            """)
    }

    /// Counts a failed login (wrong password or wrong second factor) and locks the account
    /// once more than `threshold` failures fall within `window`. Returns whether this failure
    /// locked it. A lock that ran out counts as no lock: the account can be locked again.
    func recordFailedLogin(userID: UUID, threshold: Int, window: Duration, lockFor: Duration, on connection: PostgresConnection) async throws -> Bool {
        let windowSeconds = Int(window.components.seconds)
        let lockSeconds = Int(lockFor.components.seconds)
        let rows = try await connection.query("""
            UPDATE users SET
                failed_logins = CASE WHEN failures_since IS NULL OR failures_since < now() - make_interval(secs => \(windowSeconds))
                                     THEN 1 ELSE failed_logins + 1 END,
                failures_since = CASE WHEN failures_since IS NULL OR failures_since < now() - make_interval(secs => \(windowSeconds))
                                      THEN now() ELSE failures_since END
            WHERE id = \(userID)
            RETURNING failed_logins
            """, logger: logger)
        var failures = 0
        for try await count in rows.decode(Int.self) { failures = count }
        guard failures > threshold else { return false }
        let locked = try await connection.query("""
            UPDATE users SET status = 'locked', locked_until = now() + make_interval(secs => \(lockSeconds))
            WHERE id = \(userID) AND status <> 'disabled' RETURNING id
            """, logger: logger)
        for try await _ in locked.decode(UUID.self) { return true }
        return false
    }

    /// After a complete login: failures forgotten, an expired lock lifted. Refuses (false) if the
    /// account was disabled or locked meanwhile, so that a correct guess racing the attempts
    /// that locked the account does not get in, nor lift the lock.
    func recordSuccessfulLogin(userID: UUID) async throws -> Bool {
        let rows = try await client.query("""
            UPDATE users SET failed_logins = 0, failures_since = NULL, status = 'active', locked_until = NULL
            WHERE id = \(userID) AND status <> 'disabled'
              AND NOT (status = 'locked' AND (locked_until IS NULL OR locked_until > now()))
            RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(UUID.self) { return true }
        return false
    }

    /// A user who may hold a session: the account not disabled or locked, the tenant active.
    func activeUser(id: UUID, tenantID: UUID) async throws -> User? {
        try await users("""
            SELECT \(unescaped: Self.userColumns(of: "u"))
            FROM users u JOIN tenants t ON t.id = u.tenant_id
            WHERE u.id = \(id) AND u.tenant_id = \(tenantID) AND t.status = 'active'
            """).first.flatMap { user in user.status == .disabled || user.isLocked(at: Date()) ? nil : user }
    }

    /// Changes role and/or status of a user of `tenantID`; nil if there is no such user.
    func update(userID: UUID, tenantID: UUID, role: Role?, status: UserStatus?, on connection: PostgresConnection) async throws -> User? {
        try await users("""
            UPDATE users SET role = COALESCE(\(role?.rawValue), role), status = COALESCE(\(status?.rawValue), status),
                locked_until = CASE WHEN \(status?.rawValue)::text IS NULL THEN locked_until ELSE NULL END,
                failed_logins = CASE WHEN \(status?.rawValue)::text IS NULL THEN failed_logins ELSE 0 END,
                failures_since = CASE WHEN \(status?.rawValue)::text IS NULL THEN failures_since ELSE NULL END
            WHERE id = \(userID) AND tenant_id = \(tenantID)
            RETURNING \(unescaped: Self.userColumns())
            """, on: connection).first
    }

    // MARK: Invitations

    /// Stores an invitation; the token itself is returned to the inviter once and kept hashed.
    func createInvitation(tenantID: UUID, email: String, role: Role, invitedBy: UUID, lifetime: Duration, on connection: PostgresConnection)
        async throws -> (id: UUID, token: String, expiresAt: Date)
    {
        let id = UUID()
        let token = OpaqueToken.generate(prefix: "inv_")
        let expiresAt = Date().addingTimeInterval(TimeInterval(lifetime.components.seconds))
        try await connection.query("""
            INSERT INTO invitations (id, tenant_id, email, role, token_hash, invited_by, expires_at)
            VALUES (\(id), \(tenantID), \(email), \(role.rawValue), \(OpaqueToken.hash(token)), \(invitedBy), \(expiresAt))
            """, logger: logger)
        return (id, token, expiresAt)
    }

    /// Marks the invitation used and returns (tenant, email, role); nil if unknown, used or expired.
    func acceptInvitation(token: String, on connection: PostgresConnection) async throws -> (tenantID: UUID, email: String, role: Role)? {
        let rows = try await connection.query("""
            UPDATE invitations i SET accepted_at = now() FROM tenants t
            WHERE i.token_hash = \(OpaqueToken.hash(token)) AND i.accepted_at IS NULL AND i.expires_at > now()
              AND t.id = i.tenant_id AND t.status = 'active'
            RETURNING i.tenant_id, i.email, i.role
            """, logger: logger)
        for try await (tenant, email, role) in rows.decode((UUID, String, String).self) {
            return (tenant, email, Role(rawValue: role) ?? .member)
        }
        return nil
    }

    /// Whether any system admin exists (start-up bootstrap).
    func hasSystemAdmin() async throws -> Bool {
        for try await _ in try await client.query("SELECT 1 FROM users WHERE role = 'system_admin' LIMIT 1", logger: logger).decode(Int.self) {
            return true
        }
        return false
    }
}
