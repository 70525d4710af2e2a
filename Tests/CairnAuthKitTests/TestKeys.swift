import CairnAuthKit
import Foundation
import JWTKit
import Logging
import Synchronization

/// An Ed25519 signing key under a `kid`, as auth holds it: signs tokens, publishes its JWK.
struct TestKey: Sendable {
    let kid: String
    let privateKey: EdDSA.PrivateKey

    init(kid: String) throws {
        self.kid = kid
        privateKey = try EdDSA.PrivateKey()
    }

    /// The public half as a JWKS entry (RFC 8037: `x` is the raw 32-byte key, base64url, unpadded).
    var jwk: JWK {
        JWK.octetKeyPair(.eddsa, identifier: JWKIdentifier(string: kid), x: Base64URL.encode(privateKey.publicKey.rawRepresentation),
                         y: nil, curve: .ed25519)
    }

    /// `claims` signed with this key; the header names `headerKid` (default: this key's kid),
    /// so a test can sign under another key's name.
    func sign(_ claims: AccessTokenClaims, headerKid: String? = nil) async throws -> String {
        let kid = JWKIdentifier(string: headerKid ?? self.kid)
        let keys = await JWTKeyCollection().add(eddsa: privateKey, kid: kid)
        return try await keys.sign(claims, kid: kid)
    }
}

/// A ``PublicKeySource`` in memory: the published key set can be swapped (a rotation) or made to
/// fail (an outage), and every fetch is counted, so tests can check how often the cache asks.
final class InMemoryKeySource: PublicKeySource {
    struct Outage: Error {}

    private struct State {
        var keys: [JWK]
        var failing = false
        var fetches = 0
    }

    private let state: Mutex<State>

    init(_ keys: [JWK]) { state = Mutex(State(keys: keys)) }
    convenience init(_ keys: TestKey...) { self.init(keys.map(\.jwk)) }

    var fetches: Int { state.withLock(\.fetches) }

    func publish(_ keys: TestKey...) { state.withLock { $0.keys = keys.map(\.jwk) } }
    func publish(jwks keys: [JWK]) { state.withLock { $0.keys = keys } }
    func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }

    func publicKeys() async throws -> JWKS {
        try state.withLock { state in
            state.fetches += 1
            if state.failing { throw Outage() }
            return JWKS(keys: state.keys)
        }
    }
}

/// Unpadded base64url (RFC 4648 §5), as JWTs and JWKs use it.
enum Base64URL {
    static func encode(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: some StringProtocol) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

/// Shared fixtures: one fixed instant (tests inject it as the verifier's clock), identities,
/// claims around them, and a verifier over a source.
enum Fixture {
    static let issuedAt = Date(timeIntervalSince1970: 1_750_000_000)
    static let tenant = UUID(uuidString: "0b6f4c1e-8d2a-4f4e-9a51-2c3d4e5f6a7b")!
    static let otherTenant = UUID(uuidString: "7c0e2f4a-1b3d-4c5e-8f9a-0b1c2d3e4f5a")!
    static let settings = TokenVerificationSettings(issuer: "cairn-auth", audience: "cairn", clockSkew: .seconds(30))

    static func member(scopes: Set<Permission>? = nil, tenant: UUID? = tenant) -> Identity {
        Identity(kind: .user, subject: "user-1", tenantID: tenant, role: .member, scopes: scopes ?? Role.member.permissions)
    }

    static func identity(_ role: Role, tenant: UUID? = tenant, scopes: Set<Permission>? = nil) -> Identity {
        Identity(kind: role == .service ? .service : .user, subject: "\(role.rawValue)-1", tenantID: tenant, role: role,
                 scopes: scopes ?? role.permissions)
    }

    static func claims(
        _ identity: Identity = member(), issuer: String = "cairn-auth", audience: String = "cairn", issuedAt: Date = issuedAt,
        lifetime: Duration = .seconds(900), tokenID: String = "jti-1"
    ) -> AccessTokenClaims {
        AccessTokenClaims(identity: identity, issuer: issuer, audience: audience, issuedAt: issuedAt, lifetime: lifetime, tokenID: tokenID)
    }

    static let logger = Logger(label: "cairn-auth-kit-tests") { _ in SwiftLogNoOpLogHandler() }

    /// A cache that may refetch on every unknown kid unless told otherwise, so tests see each
    /// refresh they cause; the rate limit has tests of its own.
    static func cache(_ source: any PublicKeySource, minimumRefreshInterval: Duration = .zero) -> PublicKeyCache {
        PublicKeyCache(source: source, minimumRefreshInterval: minimumRefreshInterval, logger: logger)
    }

    /// A verifier whose clock reads `issuedAt + offset`.
    static func verifier(_ cache: PublicKeyCache, at offset: TimeInterval = 60) -> TokenVerifier {
        let now = issuedAt.addingTimeInterval(offset)
        return TokenVerifier(keys: cache, settings: settings, now: { now })
    }
}
