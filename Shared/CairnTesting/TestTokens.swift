import CairnAuthKit
import Foundation
import JWTKit
import Logging

/// Real Ed25519 access tokens signed with a key the test holds, verified by a service's real
/// ``TokenVerifier`` through a JWKS publishing the public half (auth's JWKS over HTTP is tested
/// in CairnAuthKitTests; here the transport is the only thing left out).
public struct TestTokens: PublicKeySource {
    public let kid: String
    let key: EdDSA.PrivateKey

    public init(kid: String = "test-key") throws {
        self.kid = kid
        key = try EdDSA.PrivateKey()
    }

    public func publicKeys() async throws -> JWKS {
        JWKS(keys: [JWK.octetKeyPair(.eddsa, identifier: JWKIdentifier(string: kid), x: key.publicKey.rawRepresentation.base64URLEncodedString(),
                                     y: nil, curve: .ed25519)])
    }

    /// The verifier a service under test is built with.
    public func verifier(logger: Logger = TestInfra.logger(level: .error)) -> TokenVerifier {
        TokenVerifier(keys: PublicKeyCache(source: self, logger: logger), settings: TokenVerificationSettings())
    }

    /// A token carrying exactly `identity`.
    public func token(_ identity: Identity) async throws -> String {
        let claims = AccessTokenClaims(identity: identity, issuer: "cairn-auth", audience: "cairn", issuedAt: Date(), lifetime: .seconds(900),
                                       tokenID: UUID().uuidString)
        let keys = await JWTKeyCollection().add(eddsa: key, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// A token for `role` (its full permissions unless `scopes` narrows them).
    public func token(
        _ role: Role, tenant: UUID?, subject: String = "user-\(UUID().uuidString.prefix(8).lowercased())", scopes: Set<Permission>? = nil
    ) async throws -> String {
        try await token(Identity(kind: role == .service ? .service : .user, subject: subject, tenantID: tenant, role: role,
                                 scopes: scopes ?? role.permissions))
    }
}
