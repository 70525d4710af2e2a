import CairnAuthKit
import Crypto
import Foundation
import Logging
import PostgresNIO

/// An API key as listed: never the secret, only its visible prefix.
struct APIKeyView: Codable, Sendable {
    var id: UUID
    var name: String
    var prefix: String
    var role: Role
    var scopes: [String]
    var createdBy: UUID
    var createdAt: Date
    var expiresAt: Date?
    var lastUsedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, prefix, role, scopes
        case createdBy = "created_by"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case lastUsedAt = "last_used_at"
    }
}

/// API keys for programs. A key reads `cairn_<prefix>_<secret>`: the prefix (8 characters) is
/// stored in clear to find the row and to show which key is which; the whole key is stored only
/// as its SHA-256 (256 random bits need no slow hash).
struct APIKeyStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// `last_used_at` is written at most this often per key, so busy keys do not write per request.
    static let lastUsedResolution: TimeInterval = 60

    /// What every key query selects, in this order.
    static let columns = "id, name, prefix, role, scopes, created_by, created_at, expires_at, last_used_at"
    typealias Row = (UUID, String, String, String, String, UUID, Date, Date?, Date?)

    static func view(_ row: Row) -> APIKeyView {
        APIKeyView(
            id: row.0, name: row.1, prefix: row.2, role: Role(rawValue: row.3) ?? .member,
            scopes: row.4.split(separator: " ").map(String.init), createdBy: row.5, createdAt: row.6, expiresAt: row.7, lastUsedAt: row.8
        )
    }

    func create(
        tenantID: UUID, name: String, role: Role, scopes: Set<Permission>, createdBy: UUID, expiresAt: Date?, on connection: PostgresConnection
    ) async throws -> (key: String, view: APIKeyView) {
        let prefix = String(OpaqueToken.generate().filter { $0.isLetter || $0.isNumber }.prefix(8)).lowercased()
        let key = "cairn_\(prefix)_\(OpaqueToken.generate())"
        let rows = try await connection.query("""
            INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, role, scopes, created_by, expires_at)
            VALUES (\(UUID()), \(tenantID), \(name), \(prefix), \(OpaqueToken.hash(key)), \(role.rawValue), \(scopes.scopeString),
                    \(createdBy), \(expiresAt))
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)
        for try await row in rows.decode(Row.self) { return (key, Self.view(row)) }
        throw AuthError.conflict("key could not be stored")
    }

    func list(tenantID: UUID) async throws -> [APIKeyView] {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns)
            FROM api_keys WHERE tenant_id = \(tenantID) AND revoked_at IS NULL ORDER BY created_at, id
            """, logger: logger)
        var keys: [APIKeyView] = []
        for try await row in rows.decode(Row.self) { keys.append(Self.view(row)) }
        return keys
    }

    /// Revokes a live key of `tenantID`; false if there is none with that id.
    func revoke(id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("""
            UPDATE api_keys SET revoked_at = now() WHERE id = \(id) AND tenant_id = \(tenantID) AND revoked_at IS NULL RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(UUID.self) { return true }
        return false
    }

    /// The identity a presented key stands for: nil if the key is malformed, unknown, revoked,
    /// expired, or its tenant is suspended. Compared by hash in constant time.
    func identity(forKey key: String) async throws -> Identity? {
        let parts = key.split(separator: "_", maxSplits: 2)
        guard key.utf8.count <= 128, parts.count == 3, parts[0] == "cairn", parts[1].count == 8 else { return nil }
        let rows = try await client.query("""
            SELECT k.id, k.tenant_id, k.key_hash, k.role, k.scopes, k.last_used_at FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
            WHERE k.prefix = \(String(parts[1])) AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
              AND t.status = 'active'
            """, logger: logger)
        for try await (id, tenant, hash, role, scopes, lastUsed) in rows.decode((UUID, UUID, Data, String, String, Date?).self) {
            guard Self.constantTimeEqual(hash, OpaqueToken.hash(key)), let role = Role(rawValue: role),
                  let scopes = Set<Permission>(scope: scopes)
            else { return nil }
            if lastUsed.map({ Date().timeIntervalSince($0) > Self.lastUsedResolution }) ?? true {
                try await client.query("UPDATE api_keys SET last_used_at = now() WHERE id = \(id)", logger: logger)
            }
            return Identity(kind: .apiKey, subject: id.uuidString.lowercased(), tenantID: tenant, role: role, scopes: scopes)
        }
        return nil
    }

    static func constantTimeEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
