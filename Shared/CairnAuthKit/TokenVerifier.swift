import Foundation
import JWTKit
import Logging
import ServiceKit

/// Why a credential was not accepted. Clients only ever see "invalid or expired token" (401);
/// the reason goes to the log.
public struct AuthenticationError: Error, Sendable, Equatable, APIErrorConvertible, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "authentication failed: \(reason)" }
    public var apiError: APIError {
        APIError(.unauthorized, code: "UNAUTHENTICATED", message: "missing, invalid or expired credentials")
    }
}

/// What a verifier accepts: tokens of `issuer` for `audience`, within `clockSkew`.
public struct TokenVerificationSettings: Sendable {
    public var issuer: String
    public var audience: String
    /// Tolerance for clocks that disagree, applied to `exp`, `nbf` and `iat`.
    public var clockSkew: Duration

    public init(issuer: String = "cairn-auth", audience: String = "cairn", clockSkew: Duration = .seconds(30)) {
        self.issuer = issuer
        self.audience = audience
        self.clockSkew = clockSkew
    }
}

/// Verifies Cairn access tokens: `alg` pinned to EdDSA, the key chosen by `kid` from a
/// ``PublicKeyCache`` (never a default key), signature, then `iss`, `aud`, `exp`, `nbf`, `iat`.
public struct TokenVerifier: Sendable {
    /// Longer tokens are refused before any parsing.
    public static let maxTokenBytes = 8 * 1024

    private let keys: PublicKeyCache
    private let settings: TokenVerificationSettings
    private let now: @Sendable () -> Date
    private let verified: VerifiedTokenCache

    /// - Parameter cachedTokens: how many verified tokens to remember (0: none); see
    ///   ``VerifiedTokenCache``.
    public init(
        keys: PublicKeyCache, settings: TokenVerificationSettings, cachedTokens: Int = 10_000,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.keys = keys
        self.settings = settings
        self.now = now
        self.verified = VerifiedTokenCache(capacity: cachedTokens)
    }

    /// The identity the token proves, or ``AuthenticationError``.
    public func verify(_ token: String) async throws(AuthenticationError) -> Identity {
        guard token.utf8.count <= Self.maxTokenBytes else { throw AuthenticationError("token too long") }
        if let entry = verified.lookup(token), keys.contains(kid: entry.kid) {
            try checkTimes(expiresAt: entry.expiresAt, notBefore: entry.notBefore)
            return entry.identity
        }
        let header = try Self.header(of: token)
        guard header.alg == "EdDSA" else { throw AuthenticationError("algorithm \(header.alg ?? "none") not accepted") }
        guard let kid = header.kid, !kid.isEmpty else { throw AuthenticationError("no key id") }
        guard let key = await keys.key(for: kid) else { throw AuthenticationError("unknown key id") }
        let claims: AccessTokenClaims
        do {
            claims = try await key.verify(token, as: AccessTokenClaims.self)
        } catch {
            throw AuthenticationError("signature or claims invalid")
        }
        try check(claims)
        guard let identity = claims.identity else { throw AuthenticationError("malformed claims") }
        verified.store(token, .init(identity: identity, kid: kid, expiresAt: claims.exp.value, notBefore: claims.nbf?.value), now: now())
        return identity
    }

    private func check(_ claims: AccessTokenClaims) throws(AuthenticationError) {
        let skew = TimeInterval(settings.clockSkew.components.seconds)
        guard claims.iss.value == settings.issuer else { throw AuthenticationError("wrong issuer") }
        guard claims.aud.value.contains(settings.audience) else { throw AuthenticationError("wrong audience") }
        try checkTimes(expiresAt: claims.exp.value, notBefore: claims.nbf?.value)
        guard claims.iat.value <= now().addingTimeInterval(skew) else { throw AuthenticationError("issued in the future") }
    }

    /// `exp` and `nbf` against the clock, with the allowed skew: checked on every use, cached or not.
    private func checkTimes(expiresAt: Date, notBefore: Date?) throws(AuthenticationError) {
        let now = now()
        let skew = TimeInterval(settings.clockSkew.components.seconds)
        guard now.addingTimeInterval(-skew) < expiresAt else { throw AuthenticationError("expired") }
        if let notBefore, notBefore > now.addingTimeInterval(skew) { throw AuthenticationError("not yet valid") }
    }

    struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    /// The JOSE header, decoded before anything else so that `alg` and `kid` are checked first.
    static func header(of token: String) throws(AuthenticationError) -> Header {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { throw AuthenticationError("not a JWS compact token") }
        guard let data = Data(base64URLEncoded: parts[0]), let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw AuthenticationError("unreadable header")
        }
        return header
    }
}
