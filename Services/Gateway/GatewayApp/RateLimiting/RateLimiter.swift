import CairnRedis
import Logging
import Metrics
import Synchronization

/// Decides with Redis, and with the in-process limiter while Redis is unreachable: never
/// unlimited, never a failed request because Redis is down. An outage is logged once when it
/// starts and once when it ends; every fallback decision is counted
/// (`cairn_gateway_rate_limit_fallback_total`). After a failure Redis is retried at most once a
/// second, so an outage adds no per-request connect attempts.
final class RateLimiter: Sendable {
    private let redis: RedisRateLimiter
    private let local = LocalRateLimiter()
    private let logger: Logger
    private let outage = Mutex<ContinuousClock.Instant?>(nil)
    private let fallbacks = Counter(label: "cairn_gateway_rate_limit_fallback_total")
    static let retryInterval: Duration = .seconds(1)

    init(redis: RedisClient, logger: Logger) {
        self.redis = RedisRateLimiter(client: redis)
        self.logger = logger
    }

    func decide(keys: [String], buckets: [GCRABucket]) async -> RateDecision {
        let skipRedis = outage.withLock { since in since.map { ContinuousClock.now - $0 < Self.retryInterval } ?? false }
        if !skipRedis {
            do {
                let decision = try await redis.decide(keys: keys, buckets: buckets)
                let wasDown = outage.withLock { since in defer { since = nil }; return since != nil }
                if wasDown { logger.notice("rate limiting back on Redis") }
                return decision
            } catch {
                let started = outage.withLock { since in
                    defer { since = ContinuousClock.now }
                    return since == nil
                }
                if started {
                    logger.error("Redis unreachable: rate limiting in-process per replica", metadata: ["error": "\(error)"])
                }
            }
        }
        fallbacks.increment()
        return local.decide(keys: keys, buckets: buckets)
    }
}
