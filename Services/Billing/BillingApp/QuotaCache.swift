import CairnBillingAPI
import CairnRedis
import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Redis copies of the period counters, the quota check's hot path. Postgres is the truth:
/// after each committed batch the consumer writes the counters' committed values here with a
/// set-if-greater script (counters only grow within a period, so a late or repeated write can
/// never lower one). A counter Redis lost is rebuilt from Postgres on the next check; writes
/// that failed while Redis was unreachable are kept and retried every second.
final class QuotaCache: Service, Sendable {
    private let redis: RedisClient
    private let logger: Logger
    /// Counter key → (value, expiry in ms) still to be written.
    private let pending = NIOLockedValueBox<[String: (Int, Int)]>([:])
    private let failures = Counter(label: "billing_redis_failures_total")
    static let retryInterval: Duration = .seconds(1)

    init(redis: RedisClient, logger: Logger) {
        self.redis = redis
        self.logger = logger
    }

    static let setIfGreater = RedisScript("""
        local result = {}
        for i, key in ipairs(KEYS) do
          local value = tonumber(ARGV[2 * i - 1])
          local current = tonumber(redis.call('GET', key) or '-1')
          if value > current then
            redis.call('SET', key, ARGV[2 * i - 1], 'PX', ARGV[2 * i])
            current = value
          end
          result[i] = current
        end
        return result
        """)

    static func key(_ counter: CounterKey) -> String {
        "billing:count:\(counter.tenantID.uuidString.lowercased()):\(counter.meter.rawValue):\(Int(counter.periodStart.timeIntervalSince1970))"
    }

    /// Kept a day past the period's end (late events), a week for counters that never reset.
    static func expiryMilliseconds(periodEnd: Date, now: Date = Date()) -> Int {
        let seconds = periodEnd == .distantFuture ? 7 * 86_400 : max(60, periodEnd.timeIntervalSince(now) + 86_400)
        return Int(seconds * 1_000)
    }

    /// Writes committed counter values; on failure keeps them for ``run()`` to retry.
    func mirror(_ values: [CounterValue]) async {
        guard !values.isEmpty else { return }
        let entries = values.map { (Self.key($0.key), $0.used, Self.expiryMilliseconds(periodEnd: $0.periodEnd)) }
        do {
            try await write(entries)
        } catch {
            failures.increment()
            logger.warning("quota counters not written to Redis; will retry", metadata: ["error": "\(error)", "counters": "\(entries.count)"])
            pending.withLockedValue { pending in
                for (key, value, ttl) in entries where value > (pending[key]?.0 ?? -1) { pending[key] = (value, ttl) }
            }
        }
    }

    /// The counter's value, rebuilt from `committed` (Postgres) when Redis does not hold it.
    /// Throws when Redis cannot be reached: the caller answers from Postgres.
    func used(_ counter: CounterKey, periodEnd: Date, committed: () async throws -> Int) async throws -> Int {
        let key = Self.key(counter)
        if let cached = try await redis.get(key, as: Int.self) { return cached }
        let value = try await committed()
        return try await write([(key, value, Self.expiryMilliseconds(periodEnd: periodEnd))]).first ?? value
    }

    @discardableResult
    private func write(_ entries: [(String, Int, Int)]) async throws -> [Int] {
        let reply = try await redis.evaluate(
            Self.setIfGreater, keys: entries.map(\.0), arguments: entries.flatMap { [RedisArgument($0.1), RedisArgument($0.2)] }
        )
        return (reply.array ?? []).compactMap(\.int)
    }

    /// Retries writes that failed, until shutdown.
    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await Task.sleep(for: Self.retryInterval)
            let entries = pending.withLockedValue { pending in
                defer { pending = [:] }
                return pending.map { ($0.key, $0.value.0, $0.value.1) }
            }
            guard !entries.isEmpty else { continue }
            do {
                try await write(entries)
                logger.info("quota counters written to Redis after a failure", metadata: ["counters": "\(entries.count)"])
            } catch {
                pending.withLockedValue { pending in
                    for (key, value, ttl) in entries where value > (pending[key]?.0 ?? -1) { pending[key] = (value, ttl) }
                }
            }
        }
    }
}
