import CairnTesting
import Foundation
import Testing

/// Client-credentials tokens for services, and the JWKS every service verifies tokens with.
@Suite struct ServiceTokenTests {
    /// The decoded header of a compact JWS.
    static func header(_ token: String) throws -> [String: Any] {
        var part = String(try #require(token.split(separator: ".").first))
        part = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        part += String(repeating: "=", count: (4 - part.count % 4) % 4)
        let data = try #require(Data(base64Encoded: part))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func clientCredentialsGiveAServiceIdentityWithoutTenant() async throws {
        try await AuthHarness.run { auth in
            let reply = try await auth.post("/v1/auth/service-token", ["client_id": "gateway", "client_secret": "gateway-secret-0123456789"])
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.string("token_type") == "Bearer")
            #expect(reply["expires_in"] as? Int == 300)
            #expect(reply["refresh_token"] == nil)
            let token = try #require(reply.string("access_token"))

            let me = try await auth.get("/v1/auth/me", token: token)
            #expect(me.status == .ok, "\(me.text)")
            #expect(me.string("identity", "kind") == "service")
            #expect(me.string("identity", "role") == "service")
            #expect(me.string("identity", "subject") == "gateway")
            #expect(me.object("identity")?["tenant_id"] == nil, "\(me.text)")
            #expect(me["tenant"] == nil && me["user"] == nil, "\(me.text)")
            #expect((me["permissions"] as? [String])?.contains("api_keys:introspect") == true)
        }
    }

    @Test func wrongOrUnknownClientsAreRefusedAlike() async throws {
        try await AuthHarness.run { auth in
            let attempts: [(String, [String: Any])] = [
                ("wrong secret", ["client_id": "gateway", "client_secret": "gateway-secret-0123456780"]),
                ("prefix of the secret", ["client_id": "gateway", "client_secret": "gateway-secret"]),
                ("empty secret", ["client_id": "gateway", "client_secret": ""]),
                ("unknown client", ["client_id": "billing", "client_secret": "gateway-secret-0123456789"]),
                ("unknown client, empty secret", ["client_id": "nobody", "client_secret": ""]),
                ("empty client", ["client_id": "", "client_secret": ""]),
            ]
            var messages = Set<String>()
            for (name, body) in attempts {
                let reply = try await auth.post("/v1/auth/service-token", body)
                #expect(reply.status == .unauthorized, "\(name): \(reply.text)")
                #expect(reply.errorCode == "INVALID_CREDENTIALS", "\(name): \(reply.text)")
                #expect(reply["access_token"] == nil)
                messages.insert(reply.string("error", "message") ?? "")
            }
            #expect(messages.count == 1)
        }
    }

    /// Services span tenants, but the role table gives them no user administration: `users:read`
    /// is refused whether or not a tenant is named. (The tenant requirement for cross-tenant
    /// identities is covered with a system admin in ``CrossTenantTests``.)
    @Test func serviceTokensHaveNoUserAdministration() async throws {
        try await AuthHarness.run { auth in
            let admin = try await auth.register()
            let token = try await auth.serviceToken()
            for path in ["/v1/users", "/v1/users?tenant_id=\(admin.tenantID)"] {
                let reply = try await auth.get(path, token: token)
                #expect(reply.status == .forbidden, "\(path): \(reply.text)")
                #expect(reply.string("error", "details", "permission") == "users:read", "\(path): \(reply.text)")
            }
            // Nor are they users: the per-user endpoints refuse them.
            let enroll = try await auth.post("/v1/auth/mfa/enroll", token: token)
            #expect(enroll.status == .badRequest, "\(enroll.text)")
            let logoutAll = try await auth.post("/v1/auth/logout-all", token: token)
            #expect(logoutAll.status == .badRequest, "\(logoutAll.text)")
        }
    }

    @Test func jwksPublishesPublicEd25519KeysOnly() async throws {
        try await AuthHarness.run { auth in
            let jwks = try await auth.get("/.well-known/jwks.json", token: nil)
            #expect(jwks.status == .ok, "\(jwks.text)")
            let keys = try #require(jwks.array("keys"))
            #expect(!keys.isEmpty)
            for key in keys {
                #expect(key["kty"] as? String == "OKP", "\(key)")
                #expect(key["crv"] as? String == "Ed25519", "\(key)")
                #expect((key["kid"] as? String)?.isEmpty == false, "\(key)")
                let x = try #require(key["x"] as? String)
                #expect(x.count == 43, "an Ed25519 public key is 32 bytes, base64url: \(x)")
                #expect(key["d"] == nil, "private key published: \(key)")
                #expect(Set(key.keys).isSubset(of: ["kty", "crv", "kid", "x", "alg", "use", "key_ops"]), "\(key.keys)")
            }
            #expect(!jwks.text.contains("\"d\""))
            #expect(Set(keys.compactMap { $0["kid"] as? String }).count == keys.count)

            // Tokens are signed with a published key.
            let token = try await auth.serviceToken()
            let header = try Self.header(token)
            #expect(header["alg"] as? String == "EdDSA")
            let kid = try #require(header["kid"] as? String)
            #expect(keys.contains { $0["kid"] as? String == kid })
        }
    }
}
