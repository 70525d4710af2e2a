import CairnAuthKit
import CairnRedis
import Crypto
import Foundation
import Logging
import ServiceKit

/// An API key as auth's introspection described it.
struct ResolvedKey: Sendable, Codable {
    var identity: Identity
    var accessToken: String
    /// Unix seconds when `accessToken` expires.
    var expiresAt: Int

    enum CodingKeys: String, CodingKey {
        case identity
        case accessToken = "access_token"
        case expiresAt = "expires_at"
    }
}

/// Resolves API keys through auth's `POST /v1/api-keys/introspect`, caching each answer in
/// Redis under the key's SHA-256 (never the key) for `ttl`: a revoked key stops working within
/// `ttl`. Unknown keys are cached too, so guessing costs auth nothing. Without Redis every
/// request asks auth; without auth, API keys answer 503 (never let in unverified).
struct APIKeyResolver: Sendable {
    private struct CacheEntry: Codable {
        var key: ResolvedKey?
    }

    /// A cached token is not handed out when it has less than this left.
    static let minimumTokenLife = 15

    let authURL: String
    let caller: ServiceCaller
    let redis: RedisClient
    let ttl: Duration
    let logger: Logger

    func resolve(_ key: String) async throws -> ResolvedKey? {
        let cacheKey = "cairn:apikey:" + SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        let now = Int(Date().timeIntervalSince1970)
        if let cached = try? await redis.get(cacheKey, as: String.self),
           let entry = try? JSONDecoder().decode(CacheEntry.self, from: Data(cached.utf8)),
           entry.key.map({ $0.expiresAt - now > Self.minimumTokenLife }) ?? true {
            return entry.key
        }
        let asked = ContinuousClock.now
        let resolved = try await introspect(key, now: now)
        // The TTL counts from auth's answer: time spent getting it comes off.
        let remaining = ttl - (ContinuousClock.now - asked)
        let lifetime = resolved.map { min(remaining, .seconds($0.expiresAt - now - Self.minimumTokenLife)) } ?? remaining
        if lifetime > .zero, let data = try? JSONEncoder().encode(CacheEntry(key: resolved)) {
            _ = try? await redis.set(cacheKey, String(decoding: data, as: UTF8.self), ttl: lifetime)
        }
        return resolved
    }

    private func introspect(_ key: String, now: Int) async throws -> ResolvedKey? {
        let reply: ServiceCaller.Reply
        do {
            reply = try await caller.call(.POST, authURL + "/v1/api-keys/introspect", json: ["key": key], timeout: .seconds(5))
        } catch {
            logger.warning("API key introspection failed", metadata: ["error": "\(error)"])
            throw Self.unavailable
        }
        guard reply.status == 200, let introspection = try? reply.decode(KeyIntrospection.self) else {
            logger.warning("API key introspection refused", metadata: ["status": "\(reply.status)"])
            throw Self.unavailable
        }
        guard introspection.active, let identity = introspection.identity, let token = introspection.accessToken else { return nil }
        return ResolvedKey(identity: identity, accessToken: token, expiresAt: now + (introspection.expiresIn ?? 0))
    }

    static let unavailable = APIError(.serviceUnavailable, code: "UNAVAILABLE", message: "API keys cannot be verified right now")
}
