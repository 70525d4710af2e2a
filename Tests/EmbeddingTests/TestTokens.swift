import CairnAuthKit
import Foundation
import JWTKit

/// Real Ed25519 access tokens signed with a key the test holds, verified by embedding's real
/// ``TokenVerifier`` through a JWKS publishing the public half (auth's JWKS over HTTP is tested
/// in CairnAuthKitTests).
struct TestTokens: PublicKeySource {
    let kid = "embedding-test-key"
    let key: EdDSA.PrivateKey

    init() throws { key = try EdDSA.PrivateKey() }

    func publicKeys() async throws -> JWKS {
        JWKS(keys: [JWK.octetKeyPair(.eddsa, identifier: JWKIdentifier(string: kid), x: key.publicKey.rawRepresentation.base64URLEncodedString(),
                                     y: nil, curve: .ed25519)])
    }

    func verifier() -> TokenVerifier {
        TokenVerifier(keys: PublicKeyCache(source: self, logger: EmbeddingHarness.logger), settings: TokenVerificationSettings())
    }

    /// A token for `role` (its full permissions unless `scopes` narrows them).
    func token(_ role: Role, tenant: UUID?, subject: String = "user-\(UUID().uuidString.prefix(8).lowercased())", scopes: Set<Permission>? = nil) async throws -> String {
        let identity = Identity(kind: role == .service ? .service : .user, subject: subject, tenantID: tenant, role: role, scopes: scopes ?? role.permissions)
        let claims = AccessTokenClaims(identity: identity, issuer: "cairn-auth", audience: "cairn", issuedAt: Date(), lifetime: .seconds(900),
                                       tokenID: UUID().uuidString)
        let keys = await JWTKeyCollection().add(eddsa: key, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }
}
