import CairnAuthKit
import CairnTesting
import Foundation
import JWTKit
import PostgresNIO
import Testing

/// Signing keys: rotation keeps old tokens valid, the JWKS serves what other services need,
/// private keys are sealed at rest.
@Suite struct SigningKeyTests {
    static let adminEnvironment = [
        "CAIRN_AUTH_BOOTSTRAP_ADMIN_EMAIL": "root@example.com", "CAIRN_AUTH_BOOTSTRAP_ADMIN_PASSWORD": "bootstrap-Secret-77",
    ]

    /// The JWKS as served, for a verifier of the kind every other service runs.
    struct Served: PublicKeySource {
        let jwks: JWKS
        func publicKeys() async throws -> JWKS { jwks }
    }

    static func kid(of token: String) throws -> String {
        let header = try #require(token.split(separator: ".").first)
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let json = try JSONSerialization.jsonObject(with: try #require(Data(base64Encoded: base64))) as? [String: Any]
        return try #require(json?["kid"] as? String)
    }

    func jwks(_ auth: AuthHarness) async throws -> JWKS {
        let reply = try await auth.get("/.well-known/jwks.json", token: nil)
        #expect(reply.status == .ok)
        return try JSONDecoder().decode(JWKS.self, from: Data(reply.text.utf8))
    }

    @Test func rotationKeepsOldTokensValidAndOtherServicesVerifyBoth() async throws {
        try await AuthHarness.run(overrides: Self.adminEnvironment) { auth in
            let login = try await auth.login(tenant: "cairn-platform", email: "root@example.com", password: "bootstrap-Secret-77")
            let oldToken = try #require(login.string("tokens", "access_token"), "\(login.text)")
            let oldKid = try Self.kid(of: oldToken)

            let tenantAdmin = try await auth.register()
            #expect(try await auth.post("/v1/admin/signing-keys/rotate", token: tenantAdmin.accessToken).status == .forbidden)
            let rotated = try await auth.post("/v1/admin/signing-keys/rotate", token: oldToken)
            #expect(rotated.status == .ok, "\(rotated.text)")
            let newKid = try #require(rotated.string("kid"))
            #expect(newKid != oldKid)

            // The old token still works; new tokens are signed with the new key.
            #expect(try await auth.get("/v1/auth/me", token: oldToken).status == .ok)
            let fresh = try await auth.login(tenant: tenantAdmin.tenantSlug, email: tenantAdmin.email, password: tenantAdmin.password)
            let newToken = try #require(fresh.string("tokens", "access_token"))
            #expect(try Self.kid(of: newToken) == newKid)

            // Another service, with only the JWKS, verifies both.
            let published = try await jwks(auth)
            #expect(Set(published.keys.compactMap(\.keyIdentifier?.string)) == [oldKid, newKid])
            let cache = PublicKeyCache(source: Served(jwks: published), logger: TestInfra.logger(level: .error))
            let verifier = TokenVerifier(keys: cache, settings: TokenVerificationSettings())
            #expect(try await verifier.verify(oldToken).role == .systemAdmin)
            let identity = try await verifier.verify(newToken)
            #expect(identity.tenantID?.uuidString.lowercased() == tenantAdmin.tenantID)
            #expect(identity.role == .tenantAdmin)

            // Once the retired key's grace is over it leaves the JWKS.
            try await auth.withDatabase { client in
                try await client.query("UPDATE signing_keys SET published_until = now() - interval '1 second' WHERE retired_at IS NOT NULL")
            }
            #expect(try await jwks(auth).keys.compactMap(\.keyIdentifier?.string) == [newKid])
        }
    }

    @Test func jwksHasNoPrivatePartsAndKeysAreSealedAtRest() async throws {
        try await AuthHarness.run { auth in
            _ = try await auth.register()
            let reply = try await auth.get("/.well-known/jwks.json", token: nil)
            #expect(!reply.text.contains("\"d\""))
            let key = try #require(try await jwks(auth).keys.first)
            #expect(key.keyType == .octetKeyPair)
            #expect(key.curve == .eddsa(.ed25519))
            let (sealed, publicKey) = try await auth.withDatabase { client in
                for try await row in try await client.query("SELECT sealed_private_key, public_key FROM signing_keys").decode((Data, Data).self) {
                    return row
                }
                return (Data(), Data())
            }
            // AES-GCM: 12-byte nonce + 32-byte key + 16-byte tag; the public key is not in it.
            #expect(sealed.count == 60)
            #expect(publicKey.count == 32)
            #expect(sealed.range(of: publicKey) == nil)
        }
    }
}
