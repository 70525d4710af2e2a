import Foundation
import JWTKit
import Logging
import NIOConcurrencyHelpers

/// Where token-signing public keys come from: auth's JWKS over HTTP for every other service,
/// the key store itself inside auth.
public protocol PublicKeySource: Sendable {
    func publicKeys() async throws -> JWKS
}

/// The public keys tokens are verified with, by `kid`, fetched from a ``PublicKeySource``.
///
/// - A token with an unknown `kid` triggers a refresh (a rotation has happened), but at most one
///   per `minimumRefreshInterval` and one at a time, so garbage `kid`s cannot turn into a flood
///   of JWKS fetches.
/// - Keys are refetched in the background once older than `maximumAge`; a key that left the
///   JWKS (retired or withdrawn) stops verifying then.
/// - Only Ed25519 keys (`kty` OKP, `crv` Ed25519) are taken, and at most `maximumKeys` of them.
/// - The lookup is a lock and a dictionary read: no actor hop on the hot path.
public final class PublicKeyCache: Sendable {
    private struct State {
        var keys: [String: JWTKeyCollection] = [:]
        var fetchedAt: ContinuousClock.Instant?
        var attemptedAt: ContinuousClock.Instant?
        var refreshing: Task<Void, Never>?
    }

    private let source: any PublicKeySource
    private let minimumRefreshInterval: Duration
    private let maximumAge: Duration
    private let maximumKeys: Int
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    public init(
        source: any PublicKeySource, minimumRefreshInterval: Duration = .seconds(5), maximumAge: Duration = .seconds(300),
        maximumKeys: Int = 32, logger: Logger
    ) {
        self.source = source
        self.minimumRefreshInterval = minimumRefreshInterval
        self.maximumAge = maximumAge
        self.maximumKeys = maximumKeys
        self.logger = logger
    }

    /// The verifier for `kid`, refreshing once if it is unknown; nil if it stays unknown.
    public func key(for kid: String) async -> JWTKeyCollection? {
        let now = ContinuousClock.now
        let (known, stale) = state.withLockedValue { state in
            (state.keys[kid], state.fetchedAt.map { now - $0 > maximumAge } ?? true)
        }
        if let known {
            if stale { _ = startRefresh(force: false) }
            return known
        }
        await startRefresh(force: false)?.value
        return state.withLockedValue { $0.keys[kid] }
    }

    /// Whether `kid` is among the keys held now (no fetch).
    public func contains(kid: String) -> Bool {
        state.withLockedValue { $0.keys[kid] != nil }
    }

    /// Fetches the keys now (start-up, tests); waits for the result.
    public func refresh() async {
        await startRefresh(force: true)?.value
    }

    /// The running refresh, or a new one unless the last attempt was too recent.
    private func startRefresh(force: Bool) -> Task<Void, Never>? {
        state.withLockedValue { state in
            if let running = state.refreshing { return running }
            let now = ContinuousClock.now
            if !force, let attempted = state.attemptedAt, now - attempted < minimumRefreshInterval { return nil }
            state.attemptedAt = now
            let task = Task { await self.fetch() }
            state.refreshing = task
            return task
        }
    }

    private func fetch() async {
        defer { state.withLockedValue { $0.refreshing = nil } }
        do {
            let jwks = try await source.publicKeys()
            var keys: [String: JWTKeyCollection] = [:]
            for (kid, key) in jwks.keys.compactMap(Self.ed25519).prefix(maximumKeys) {
                keys[kid] = await JWTKeyCollection().add(eddsa: key, kid: JWKIdentifier(string: kid))
            }
            let fetched = keys
            state.withLockedValue { state in
                state.keys = fetched
                state.fetchedAt = .now
            }
            logger.debug("signing keys refreshed", metadata: ["kids": "\(fetched.keys.sorted().joined(separator: ","))"])
        } catch {
            // Keep the keys we have: a JWKS outage must not log everybody out.
            logger.warning("signing key refresh failed", metadata: ["error": "\(error)"])
        }
    }

    static func ed25519(_ jwk: JWK) -> (String, EdDSA.PublicKey)? {
        guard jwk.keyType == .octetKeyPair, jwk.curve == .eddsa(.ed25519), let kid = jwk.keyIdentifier?.string,
              let x = jwk.x, let key = try? EdDSA.PublicKey(x: x, curve: .ed25519)
        else { return nil }
        return (kid, key)
    }
}
