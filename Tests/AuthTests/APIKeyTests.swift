import CairnTesting
import Crypto
import Foundation
import PostgresNIO
import Testing

/// API keys: shown once, listed by prefix only, scoped to at most the creator's permissions,
/// introspected by services only, dead once revoked, tampered with or expired.
@Suite struct APIKeyTests {
    struct Created {
        var key: String
        var id: String
        var prefix: String
    }

    static func create(_ auth: AuthHarness, _ admin: Session, _ body: [String: Any]) async throws -> Created {
        let reply = try await auth.post("/v1/api-keys", body, token: admin.accessToken)
        try #require(reply.status == .created, "\(reply.text)")
        return Created(
            key: try #require(reply.string("key")), id: try #require(reply.string("api_key", "id")),
            prefix: try #require(reply.string("api_key", "prefix"))
        )
    }

    static func introspect(_ auth: AuthHarness, _ key: String, token: String) async throws -> Reply {
        try await auth.post("/v1/api-keys/introspect", ["key": key], token: token)
    }

    static func row(_ list: Reply, id: String) -> [String: Any]? {
        list.array("api_keys")?.first { ($0["id"] as? String)?.lowercased() == id.lowercased() }
    }

    @Test func createShowsTheKeyOnceAndListShowsOnlyThePrefix() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let reply = try await auth.post("/v1/api-keys", ["name": "ci pipeline", "scopes": ["documents:read"]], token: admin.accessToken)
            #expect(reply.status == .created, "\(reply.text)")
            let key = try #require(reply.string("key"))
            let prefix = try #require(reply.string("api_key", "prefix"))
            #expect(key.hasPrefix("cairn_"))
            #expect(prefix.count == 8)
            #expect(key.hasPrefix("cairn_\(prefix)_"))
            #expect(key.count > "cairn_\(prefix)_".count + 30, "the secret part carries real entropy")
            #expect(reply.string("api_key", "name") == "ci pipeline")
            #expect(reply.string("api_key", "role") == "tenant_admin")
            #expect(reply.object("api_key")?["scopes"] as? [String] == ["documents:read"])
            #expect(reply.string("api_key", "created_by")?.lowercased() == admin.userID.lowercased())

            let second = try await Self.create(auth, admin, ["name": "second"])
            #expect(second.key != key && second.prefix != prefix)

            let list = try await auth.get("/v1/api-keys", token: admin.accessToken)
            #expect(list.status == .ok)
            #expect(list.array("api_keys")?.count == 2)
            let id = try #require(reply.string("api_key", "id"))
            let row = try #require(Self.row(list, id: id))
            #expect(row["prefix"] as? String == prefix)
            #expect(row["name"] as? String == "ci pipeline")
            #expect(row["key"] == nil && row["key_hash"] == nil)
            let secretPart = String(key.dropFirst("cairn_\(prefix)_".count))
            let hash = Data(SHA256.hash(data: Data(key.utf8)))
            for leaked in [key, second.key, secretPart, hash.base64EncodedString(), hash.map { String(format: "%02x", $0) }.joined()] {
                #expect(!list.text.contains(leaked), "the list leaks \(leaked)")
            }
        }
    }

    @Test func scopesAreAtMostTheCreators() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            for scope in ["admin:*", "search:write", "api_keys:introspect", "*:*"] {
                let reply = try await auth.post("/v1/api-keys", ["name": "greedy", "scopes": [scope]], token: admin.accessToken)
                #expect(reply.status == .forbidden, "\(scope): \(reply.text)")
                #expect(reply.errorCode == "FORBIDDEN", "\(scope)")
            }
            let mixed = try await auth.post("/v1/api-keys", ["name": "mixed", "scopes": ["documents:read", "admin:keys"]], token: admin.accessToken)
            #expect(mixed.status == .forbidden, "\(mixed.text)")
            for scope in ["Documents:read", "documents", "documents:read:x", ""] {
                let reply = try await auth.post("/v1/api-keys", ["name": "odd", "scopes": [scope]], token: admin.accessToken)
                #expect(reply.status == .badRequest, "\(scope): \(reply.text)")
            }
            for days in [0, -1, 3_651] {
                let reply = try await auth.post("/v1/api-keys", ["name": "odd", "expires_in_days": days], token: admin.accessToken)
                #expect(reply.status == .badRequest, "\(days): \(reply.text)")
            }
            #expect(try await auth.post("/v1/api-keys", ["name": ""], token: admin.accessToken).status == .badRequest)
            let list = try await auth.get("/v1/api-keys", token: admin.accessToken)
            #expect(list.array("api_keys")?.isEmpty == true, "refused keys were stored: \(list.text)")
            // Held scopes are granted.
            let held = try await auth.post("/v1/api-keys", ["name": "held", "scopes": ["users:read", "audit:read"]], token: admin.accessToken)
            #expect(held.status == .created, "\(held.text)")
        }
    }

    @Test func introspectionNeedsAServiceToken() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let key = try await Self.create(auth, admin, ["name": "k"])
            let anonymous = try await auth.post("/v1/api-keys/introspect", ["key": key.key])
            #expect(anonymous.status == .unauthorized, "\(anonymous.text)")
            let byUser = try await Self.introspect(auth, key.key, token: admin.accessToken)
            #expect(byUser.status == .forbidden, "\(byUser.text)")
            #expect(byUser.errorCode == "FORBIDDEN")
            // An API key's own token cannot introspect either.
            let service = try await auth.serviceToken()
            let keyToken = try #require(try await Self.introspect(auth, key.key, token: service).string("access_token"))
            let byKey = try await Self.introspect(auth, key.key, token: keyToken)
            #expect(byKey.status == .forbidden, "\(byKey.text)")
        }
    }

    @Test func introspectionOfValidRevokedTamperedAndExpiredKeys() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let service = try await auth.serviceToken()
            let key = try await Self.create(auth, admin, ["name": "reader", "scopes": ["documents:read", "chat:read"]])

            var list = try await auth.get("/v1/api-keys", token: admin.accessToken)
            #expect(Self.row(list, id: key.id)?["last_used_at"] == nil, "unused key has last_used_at: \(list.text)")

            let valid = try await Self.introspect(auth, key.key, token: service)
            #expect(valid.status == .ok, "\(valid.text)")
            #expect(valid["active"] as? Bool == true)
            #expect(valid.string("identity", "kind") == "api_key")
            #expect(valid.string("identity", "subject")?.lowercased() == key.id.lowercased())
            #expect(valid.string("identity", "tenant_id")?.lowercased() == admin.tenantID.lowercased())
            #expect(valid.string("identity", "role") == "tenant_admin")
            #expect(Set(valid.object("identity")?["scopes"] as? [String] ?? []) == ["documents:read", "chat:read"])
            let token = try #require(valid.string("access_token"))
            #expect((valid["expires_in"] as? Int ?? 0) > 0)

            let me = try await auth.get("/v1/auth/me", token: token)
            #expect(me.status == .ok, "\(me.text)")
            #expect(me.string("identity", "kind") == "api_key")
            #expect(me.string("identity", "subject")?.lowercased() == key.id.lowercased())
            #expect(me.string("tenant", "id")?.lowercased() == admin.tenantID.lowercased())
            #expect(Set(me["permissions"] as? [String] ?? []) == ["documents:read", "chat:read"])
            // The key's token has only its scopes, not its role's.
            #expect(try await auth.get("/v1/users", token: token).status == .forbidden)

            list = try await auth.get("/v1/api-keys", token: admin.accessToken)
            #expect(Self.row(list, id: key.id)?["last_used_at"] is String, "last_used_at not set: \(list.text)")

            // Tampered: one character changed, or the prefix of another key.
            let last = key.key.last!
            let tampered = String(key.key.dropLast()) + (last == "A" ? "B" : "A")
            for bad in [tampered, "cairn_\(key.prefix)_", "cairn_\(key.prefix)", key.key + "x", "nonsense"] {
                let reply = try await Self.introspect(auth, bad, token: service)
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(reply["active"] as? Bool == false, "\(bad) accepted")
                #expect(reply["access_token"] == nil && reply["identity"] == nil)
            }

            // Revoked.
            let deleted = try await auth.call(.delete, "/v1/api-keys/\(key.id)", token: admin.accessToken)
            #expect(deleted.status == .noContent, "\(deleted.text)")
            let revoked = try await Self.introspect(auth, key.key, token: service)
            #expect(revoked["active"] as? Bool == false, "\(revoked.text)")
            #expect(try await auth.call(.delete, "/v1/api-keys/\(key.id)", token: admin.accessToken).status == .notFound)
            list = try await auth.get("/v1/api-keys", token: admin.accessToken)
            #expect(Self.row(list, id: key.id) == nil)

            // Expired.
            let expiring = try await Self.create(auth, admin, ["name": "short-lived", "expires_in_days": 1])
            #expect(try await Self.introspect(auth, expiring.key, token: service)["active"] as? Bool == true)
            try await auth.withDatabase { client in
                try await client.query("UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = \(UUID(uuidString: expiring.id)!)")
            }
            let expired = try await Self.introspect(auth, expiring.key, token: service)
            #expect(expired["active"] as? Bool == false, "\(expired.text)")
        }
    }

    @Test func createAndDeleteAreAudited() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let first = try await Self.create(auth, admin, ["name": "one"])
            let second = try await Self.create(auth, admin, ["name": "two"])
            #expect(try await auth.call(.delete, "/v1/api-keys/\(first.id)", token: admin.accessToken).status == .noContent)

            let created = try await auth.get("/v1/audit?action=api_key.create", token: admin.accessToken)
            #expect(created.status == .ok, "\(created.text)")
            let createdEvents = created.array("events") ?? []
            #expect(Set(createdEvents.compactMap { $0["target_id"] as? String }) == [first.id.lowercased(), second.id.lowercased()])
            #expect(createdEvents.allSatisfy { $0["actor_id"] as? String == admin.userID.lowercased() && $0["target_type"] as? String == "api_key" })
            #expect(Set(createdEvents.compactMap { ($0["details"] as? [String: String])?["prefix"] }) == [first.prefix, second.prefix])
            #expect(!created.text.contains(first.key) && !created.text.contains(second.key))

            let deleted = try await auth.get("/v1/audit?action=api_key.delete", token: admin.accessToken)
            let deletedEvents = deleted.array("events") ?? []
            #expect(deletedEvents.count == 1, "\(deleted.text)")
            #expect(deletedEvents.first?["target_id"] as? String == first.id.lowercased())
            #expect(deletedEvents.first?["actor_id"] as? String == admin.userID.lowercased())
        }
    }
}
