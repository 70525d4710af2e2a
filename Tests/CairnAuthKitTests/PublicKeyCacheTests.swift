import CairnAuthKit
import Foundation
import JWTKit
import Testing

/// Key rotation as the cache sees it: old tokens keep working while both keys are published, a
/// new `kid` costs exactly one fetch, unknown `kid`s cannot flood the source, and a withdrawn
/// key stops verifying.
@Suite struct PublicKeyCacheTests {
    let k1: TestKey
    let k2: TestKey

    init() throws {
        k1 = try TestKey(kid: "k1")
        k2 = try TestKey(kid: "k2")
    }

    @Test func tokensOfTheOldKeyStillVerifyWhileBothArePublished() async throws {
        let source = InMemoryKeySource(k1)
        let cache = Fixture.cache(source)
        await cache.refresh()
        let old = try await k1.sign(Fixture.claims())
        source.publish(k1, k2)
        await cache.refresh()
        _ = try await Fixture.verifier(cache).verify(old)
        _ = try await Fixture.verifier(cache).verify(try await k2.sign(Fixture.claims()))
    }

    /// With no minimum interval (the cache's clock cannot be injected, and waiting out the real
    /// one would be a sleep): the new kid still costs exactly one fetch, and known kids none.
    @Test func aNewKidTriggersExactlyOneRefresh() async throws {
        let source = InMemoryKeySource(k1)
        let cache = Fixture.cache(source)
        await cache.refresh()
        let verifier = Fixture.verifier(cache)
        _ = try await verifier.verify(try await k1.sign(Fixture.claims()))
        #expect(source.fetches == 1)

        source.publish(k1, k2)
        let new = try await k2.sign(Fixture.claims())
        _ = try await verifier.verify(new)
        #expect(source.fetches == 2)
        // Now known: no further fetches, for either key.
        _ = try await verifier.verify(new)
        _ = try await verifier.verify(try await k1.sign(Fixture.claims()))
        #expect(source.fetches == 2)
    }

    @Test func theFirstLookupFetchesWithoutAnExplicitRefresh() async throws {
        let source = InMemoryKeySource(k1)
        let cache = Fixture.cache(source, minimumRefreshInterval: .seconds(3600))
        _ = try await Fixture.verifier(cache).verify(try await k1.sign(Fixture.claims()))
        #expect(source.fetches == 1)
    }

    /// Garbage `kid`s are free to send; each must not cost a JWKS fetch.
    @Test func unknownKidsWithinTheMinimumIntervalFetchAtMostOnce() async throws {
        let source = InMemoryKeySource(k1)
        let cache = Fixture.cache(source, minimumRefreshInterval: .seconds(3600))
        await cache.refresh()
        let verifier = Fixture.verifier(cache)
        for index in 0..<50 {
            let stranger = try TestKey(kid: "garbage-\(index)")
            await #expect(throws: AuthenticationError.self) { try await verifier.verify(try await stranger.sign(Fixture.claims())) }
        }
        #expect(source.fetches == 1)
        // Concurrent ones too.
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask { _ = await cache.key(for: "concurrent-\(index)") }
            }
        }
        #expect(source.fetches == 1)
        // The known key is unaffected.
        _ = try await verifier.verify(try await k1.sign(Fixture.claims()))
    }

    @Test func aWithdrawnKeyStopsVerifyingAfterARefresh() async throws {
        let source = InMemoryKeySource(k1, k2)
        let cache = Fixture.cache(source)
        await cache.refresh()
        let old = try await k1.sign(Fixture.claims())
        _ = try await Fixture.verifier(cache).verify(old)

        source.publish(k2)
        await cache.refresh()
        await #expect(throws: AuthenticationError("unknown key id")) { try await Fixture.verifier(cache).verify(old) }
        _ = try await Fixture.verifier(cache).verify(try await k2.sign(Fixture.claims()))
    }

    /// A JWKS outage must not log everybody out.
    @Test func aFailingSourceKeepsThePreviousKeys() async throws {
        let source = InMemoryKeySource(k1)
        let cache = Fixture.cache(source)
        await cache.refresh()
        source.setFailing(true)
        await cache.refresh()
        #expect(source.fetches == 2)
        _ = try await Fixture.verifier(cache).verify(try await k1.sign(Fixture.claims()))
        // An unknown kid during the outage is still rejected, not an error of another kind.
        await #expect(throws: AuthenticationError("unknown key id")) {
            try await Fixture.verifier(cache).verify(try await k2.sign(Fixture.claims()))
        }
        // And once the source is back, the rotation goes through.
        source.setFailing(false)
        source.publish(k1, k2)
        _ = try await Fixture.verifier(cache).verify(try await k2.sign(Fixture.claims()))
    }

    @Test func aSourceThatNeverAnsweredLeavesEveryTokenRejected() async throws {
        let source = InMemoryKeySource(k1)
        source.setFailing(true)
        let cache = Fixture.cache(source)
        await cache.refresh()
        await #expect(throws: AuthenticationError("unknown key id")) {
            try await Fixture.verifier(cache).verify(try await k1.sign(Fixture.claims()))
        }
    }

    /// Only Ed25519 keys are taken: a JWKS entry of another type under a known-looking kid
    /// gives no verifier.
    @Test func keysOtherThanEd25519AreIgnored() async throws {
        let ecdsa = JWK.ecdsa(.es256, identifier: "ec1", x: k1.jwk.x, y: k1.jwk.x, curve: .p256)
        var noX = k2.jwk
        noX.x = nil
        var badX = k2.jwk
        badX.keyIdentifier = "short"
        badX.x = "AAAA"
        let source = InMemoryKeySource([ecdsa, noX, badX, k1.jwk])
        let cache = Fixture.cache(source)
        await cache.refresh()
        #expect(await cache.key(for: "ec1") == nil)
        #expect(await cache.key(for: "k2") == nil)
        #expect(await cache.key(for: "short") == nil)
        #expect(await cache.key(for: "k1") != nil)
    }
}
