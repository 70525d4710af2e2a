@testable import CairnAuthKit
import Foundation
import Synchronization
import Testing

/// Repeated verification of a token answered from memory must stay exactly as strict.
@Suite struct VerifiedTokenCacheTests {
    final class Clock: Sendable {
        let offset = Mutex<TimeInterval>(60)
        var now: Date { Fixture.issuedAt.addingTimeInterval(offset.withLock { $0 }) }
    }

    func setUp() async throws -> (TestKey, InMemoryKeySource, PublicKeyCache, TokenVerifier, Clock) {
        let key = try TestKey(kid: "k1")
        let source = InMemoryKeySource(key)
        let cache = Fixture.cache(source)
        let clock = Clock()
        let verifier = TokenVerifier(keys: cache, settings: Fixture.settings, now: { clock.now })
        return (key, source, cache, verifier, clock)
    }

    @Test func withdrawingTheKeyEndsItsCachedTokens() async throws {
        let (key, source, cache, verifier, _) = try await setUp()
        let token = try await key.sign(Fixture.claims())
        _ = try await verifier.verify(token)
        _ = try await verifier.verify(token)
        source.publish(try TestKey(kid: "k2"))
        await cache.refresh()
        await #expect(throws: AuthenticationError.self) { try await verifier.verify(token) }
    }

    @Test func cachedTokensStillExpire() async throws {
        let (key, _, _, verifier, clock) = try await setUp()
        let token = try await key.sign(Fixture.claims(lifetime: .seconds(900)))
        #expect(try await verifier.verify(token).subject == "user-1")
        clock.offset.withLock { $0 = 900 + 31 }
        await #expect(throws: AuthenticationError("expired")) { try await verifier.verify(token) }
    }

    @Test func aTamperedCopyOfACachedTokenIsRejected() async throws {
        let (key, _, _, verifier, _) = try await setUp()
        let token = try await key.sign(Fixture.claims())
        _ = try await verifier.verify(token)
        let parts = token.split(separator: ".").map(String.init)
        let decoded = try #require(Base64URL.decode(parts[1]))
        var payload = try #require(try JSONSerialization.jsonObject(with: decoded) as? [String: Any])
        payload["tid"] = Fixture.otherTenant.uuidString.lowercased()
        let forged = [parts[0], Base64URL.encode(try JSONSerialization.data(withJSONObject: payload)), parts[2]].joined(separator: ".")
        await #expect(throws: AuthenticationError.self) { try await verifier.verify(forged) }
    }

    @Test func theCacheStaysWithinItsCapacity() {
        let cache = VerifiedTokenCache(capacity: 3)
        let entry = VerifiedTokenCache.Entry(identity: Fixture.member(), kid: "k1", expiresAt: Fixture.issuedAt.addingTimeInterval(900), notBefore: nil)
        for index in 0..<10 { cache.store("token-\(index)", entry, now: Fixture.issuedAt) }
        #expect(cache.count <= 3)
        #expect(cache.lookup("token-9") != nil)
    }
}
