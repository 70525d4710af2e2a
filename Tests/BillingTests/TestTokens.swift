import CairnAuthKit
import Foundation
import JWTKit

/// Real Ed25519 access tokens, signed with a key the test holds and verified by billing's
/// real ``TokenVerifier`` through a JWKS that publishes the public half (auth's JWKS over
/// HTTP is tested in CairnAuthKitTests; here the transport is the only thing left out).
struct TestTokens: PublicKeySource {
    let kid = "billing-test-key"
    let key: EdDSA.PrivateKey

    init() throws { key = try EdDSA.PrivateKey() }

    func publicKeys() async throws -> JWKS {
        JWKS(keys: [JWK.octetKeyPair(.eddsa, identifier: JWKIdentifier(string: kid), x: key.publicKey.rawRepresentation.base64URLEncodedString(),
                                     y: nil, curve: .ed25519)])
    }

    func verifier() -> TokenVerifier {
        TokenVerifier(keys: PublicKeyCache(source: self, logger: BillingHarness.logger), settings: TokenVerificationSettings())
    }

    func token(_ identity: Identity) async throws -> String {
        let claims = AccessTokenClaims(identity: identity, issuer: "cairn-auth", audience: "cairn", issuedAt: Date(), lifetime: .seconds(900),
                                       tokenID: UUID().uuidString)
        let keys = await JWTKeyCollection().add(eddsa: key, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    func token(_ role: Role, tenant: UUID?, subject: String = UUID().uuidString.lowercased()) async throws -> String {
        try await token(Identity(kind: role == .service ? .service : .user, subject: subject, tenantID: tenant, role: role, scopes: role.permissions))
    }
}
