import Foundation
import Logging
import PostgresNIO

/// Refresh tokens: opaque, stored as SHA-256, one row per token, grouped in families (one per
/// login). Every use rotates: the presented token is marked rotated and a new one of the same
/// family is issued. Presenting a rotated token again means it was stolen (or replayed): the
/// whole family is revoked.
struct RefreshTokenStore: Sendable {
    enum Rotation: Sendable {
        case rotated(token: String, userID: UUID, tenantID: UUID)
        /// A rotated token came back; its family (`familyID`) is now revoked.
        case reused(familyID: UUID, userID: UUID, tenantID: UUID)
        case invalid
    }

    let client: PostgresClient
    let lifetime: Duration
    let logger: Logger

    /// A new token, in `familyID` or in a new family.
    func issue(userID: UUID, tenantID: UUID, familyID: UUID = UUID(), on connection: PostgresConnection) async throws -> String {
        let token = OpaqueToken.generate(prefix: "crt_")
        let expiresAt = Date().addingTimeInterval(TimeInterval(lifetime.components.seconds))
        try await connection.query("""
            INSERT INTO refresh_tokens (id, family_id, user_id, tenant_id, token_hash, expires_at)
            VALUES (\(UUID()), \(familyID), \(userID), \(tenantID), \(OpaqueToken.hash(token)), \(expiresAt))
            """, logger: logger)
        return token
    }

    /// Rotates `token` (see the type's documentation). The row is locked, so two concurrent uses
    /// of one token cannot both succeed.
    func rotate(_ token: String, on connection: PostgresConnection) async throws -> Rotation {
        let rows = try await connection.query("""
            SELECT family_id, user_id, tenant_id, expires_at, rotated_at, revoked_at
            FROM refresh_tokens WHERE token_hash = \(OpaqueToken.hash(token)) FOR UPDATE
            """, logger: logger)
        var found: (UUID, UUID, UUID, Date, Date?, Date?)?
        for try await row in rows.decode((UUID, UUID, UUID, Date, Date?, Date?).self) { found = row }
        guard let (family, user, tenant, expiresAt, rotatedAt, _) = found else { return .invalid }
        // Rotation and revocation of one family take turns, so a revocation also catches the
        // token a concurrent rotation is issuing; the row is re-read under that lock.
        try await lockFamily(family, on: connection)
        guard try await !isRevoked(tokenHash: OpaqueToken.hash(token), on: connection) else { return .invalid }
        if rotatedAt != nil {
            try await revokeFamily(family, on: connection)
            return .reused(familyID: family, userID: user, tenantID: tenant)
        }
        guard expiresAt > Date() else { return .invalid }
        try await connection.query("UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = \(OpaqueToken.hash(token))", logger: logger)
        let next = try await issue(userID: user, tenantID: tenant, familyID: family, on: connection)
        return .rotated(token: next, userID: user, tenantID: tenant)
    }

    /// Serialises rotation and revocation of one family until the transaction ends.
    private func lockFamily(_ familyID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(familyID.lowercased)))", logger: logger)
    }

    private func isRevoked(tokenHash: Data, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT revoked_at FROM refresh_tokens WHERE token_hash = \(tokenHash)", logger: logger)
        for try await revokedAt in rows.decode(Date?.self) { return revokedAt != nil }
        return true
    }

    func revokeFamily(_ familyID: UUID, on connection: PostgresConnection) async throws {
        try await lockFamily(familyID, on: connection)
        try await connection.query(
            "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = \(familyID) AND revoked_at IS NULL", logger: logger
        )
    }

    /// Logout: revokes the family of `token`; returns its owner, or nil for an unknown token.
    func revokeFamily(of token: String, on connection: PostgresConnection) async throws -> (userID: UUID, tenantID: UUID)? {
        let rows = try await connection.query("""
            SELECT family_id, user_id, tenant_id FROM refresh_tokens WHERE token_hash = \(OpaqueToken.hash(token))
            """, logger: logger)
        for try await (family, user, tenant) in rows.decode((UUID, UUID, UUID).self) {
            try await revokeFamily(family, on: connection)
            return (user, tenant)
        }
        return nil
    }

    /// Logout everywhere; returns how many families were live.
    func revokeAll(userID: UUID, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query("""
            SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = \(userID) AND revoked_at IS NULL ORDER BY family_id
            """, logger: logger)
        var families: [UUID] = []
        for try await family in rows.decode(UUID.self) { families.append(family) }
        for family in families { try await revokeFamily(family, on: connection) }
        return families.count
    }
}
