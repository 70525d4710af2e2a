@testable import GatewayApp
import Testing

@Suite("Gateway: GCRA")
struct GCRATests {
    let minute: Int64 = 60_000_000

    @Test("capacity at once, then one per interval; the tightest bucket decides and reports")
    func burstThenRate() {
        let caller = GCRABucket(perMinute: 30, capacity: 30)
        let tenant = GCRABucket(perMinute: 300, capacity: 300)
        var tats: [Int64?] = [nil, nil]
        for number in 1...30 {
            let (decision, next) = GCRA.decide(buckets: [caller, tenant], tats: tats, now: 0)
            #expect(decision.allowed)
            #expect(decision.limit == 30)
            #expect(decision.remaining == Int64(30 - number))
            tats = next.map { $0 }
        }
        let (refused, kept) = GCRA.decide(buckets: [caller, tenant], tats: tats, now: 0)
        #expect(!refused.allowed)
        #expect(refused.retryAfterMicros == 2_000_000)
        #expect(kept == tats.compactMap { $0 }, "a refusal consumes nothing")
        let (later, _) = GCRA.decide(buckets: [caller, tenant], tats: tats, now: 2_000_000)
        #expect(later.allowed, "one request refills every 2 s")
        #expect(later.resetMicros == minute, "full again a minute after the last request")
    }

    @Test("a refusal by the tenant bucket holds even when the caller's has room")
    func tenantBucket() {
        let caller = GCRABucket(perMinute: 100, capacity: 100)
        let tenant = GCRABucket(perMinute: 2, capacity: 2)
        var tats: [Int64?] = [nil, nil]
        for _ in 1...2 { tats = GCRA.decide(buckets: [caller, tenant], tats: tats, now: 0).1.map { $0 } }
        let (decision, _) = GCRA.decide(buckets: [caller, tenant], tats: tats, now: 0)
        #expect(!decision.allowed)
        #expect(decision.limit == 2)
        #expect(decision.retryAfterMicros == 30_000_000)
    }

    @Test("extreme plans give well-defined buckets, never a trap")
    func extremes() {
        for (rate, capacity) in [(Int.max, Int.max), (0, 0), (-5, -5), (60_000_001, 1), (1, Int.max)] {
            let bucket = GCRABucket(perMinute: rate, capacity: capacity)
            #expect(bucket.interval >= 1 && bucket.capacity >= 1)
            let (decision, _) = GCRA.decide(buckets: [bucket], tats: [nil], now: 1_000)
            #expect(decision.allowed)
        }
    }

    @Test("the in-process limiter applies the same decisions and forgets refilled buckets")
    func localLimiter() {
        let clock = ManualClock()
        let limiter = LocalRateLimiter(now: { clock.now })
        let bucket = GCRABucket(perMinute: 60, capacity: 3)
        let decisions = (1...4).map { _ in limiter.decide(keys: ["k"], buckets: [bucket]).allowed }
        #expect(decisions == [true, true, true, false])
        clock.now += 1_000_000
        #expect(limiter.decide(keys: ["k"], buckets: [bucket]).allowed)
        #expect(limiter.bucketCount == 1)
    }
}

final class ManualClock: @unchecked Sendable {
    var now: Int64 = 10_000_000
}
