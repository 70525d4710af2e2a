import CairnAuthKit
import Foundation
import Hummingbird

/// Signs access tokens with the active key of ``SigningKeyStore``.
struct TokenIssuer: Sendable {
    let keys: SigningKeyStore
    let issuer: String
    let audience: String

    struct Issued: Sendable {
        var token: String
        var expiresIn: Int
    }

    func accessToken(for identity: Identity, lifetime: Duration) async throws -> Issued {
        let key = try await keys.signingKey()
        let claims = AccessTokenClaims(
            identity: identity, issuer: issuer, audience: audience, issuedAt: Date(), lifetime: lifetime,
            tokenID: UUID().uuidString.lowercased()
        )
        let token = try await key.signer.sign(claims, kid: .init(string: key.kid))
        return Issued(token: token, expiresIn: Int(lifetime.components.seconds))
    }
}

/// What login, refresh and registration answer.
struct TokenPair: Codable, Sendable {
    var accessToken: String
    var tokenType = "Bearer"
    var expiresIn: Int
    var refreshToken: String
    var refreshExpiresIn: Int

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
        case refreshExpiresIn = "refresh_expires_in"
    }
}

extension TokenPair: ResponseEncodable {}
