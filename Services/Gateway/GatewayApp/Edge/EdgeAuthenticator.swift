import CairnAuthKit
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// Who is calling, as the gateway establishes it, and what it forwards upstream: the caller's
/// own access token, or for an API key the short-lived token auth issued for it, so every
/// service behind the gateway verifies one kind of credential itself.
struct EdgeCredential: Sendable {
    var identity: Identity
    var forwardAuthorization: String
    /// The rate-limit principal: `user:<id>` or `key:<id>`.
    var principal: String
}

/// `Authorization: Bearer <JWT>` verified locally against auth's JWKS; `Authorization: Bearer
/// cairn_...` or `X-API-Key: cairn_...` resolved through auth's introspection. Fails closed:
/// anything unverifiable is 401, and service credentials are never accepted from outside.
struct EdgeAuthenticator: Sendable {
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!
    static let apiKeyPrefix = "cairn_"

    let verifier: TokenVerifier
    let apiKeys: APIKeyResolver

    /// The caller's credential; nil when the request carries none.
    func authenticate(_ headers: HTTPFields) async throws -> EdgeCredential? {
        let authorization = headers[.authorization]
        let apiKeyHeader = headers[Self.apiKeyHeader]
        if authorization != nil, apiKeyHeader != nil {
            throw APIError.badRequest("send either Authorization or X-API-Key, not both")
        }
        if let apiKeyHeader { return try await resolveKey(apiKeyHeader.trimmingCharacters(in: .whitespaces)) }
        guard let authorization else { return nil }
        guard let token = AuthenticationMiddleware<GatewayRequestContext>.bearerToken(authorization) else {
            throw AuthenticationError("the Authorization scheme must be Bearer")
        }
        if token.hasPrefix(Self.apiKeyPrefix) { return try await resolveKey(token) }
        let identity = try await verifier.verify(token)
        guard identity.kind == .user, identity.tenantID != nil else {
            throw AuthenticationError("service credentials are not accepted at the edge")
        }
        return EdgeCredential(identity: identity, forwardAuthorization: "Bearer \(token)", principal: "user:\(identity.subject)")
    }

    private func resolveKey(_ key: String) async throws -> EdgeCredential {
        guard Self.isWellFormed(key) else { throw AuthenticationError("malformed API key") }
        guard let resolved = try await apiKeys.resolve(key), resolved.identity.tenantID != nil else {
            throw AuthenticationError("invalid API key")
        }
        return EdgeCredential(
            identity: resolved.identity, forwardAuthorization: "Bearer \(resolved.accessToken)", principal: "key:\(resolved.identity.subject)"
        )
    }

    /// `cairn_<8-character prefix>_<secret>`, at most 128 bytes, URL-safe characters only: the
    /// only shape auth issues, checked before anything is asked or cached.
    static func isWellFormed(_ key: String) -> Bool {
        let parts = key.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard key.utf8.count <= 128, parts.count == 3, parts[0] == "cairn", parts[1].utf8.count == 8, parts[2].utf8.count >= 16 else {
            return false
        }
        return key.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
