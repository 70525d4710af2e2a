/// The generic cell rate algorithm, as both limiters apply it (Redis in Lua, the in-process
/// fallback in Swift): a bucket is one "theoretical arrival time" (TAT). A request at `now`
/// moves it to `max(TAT, now) + interval` and is allowed while that stays within
/// `capacity × interval` of now. Equivalent to a token bucket of `capacity` tokens refilled one
/// per `interval`, with one stored number per bucket.
public struct GCRABucket: Sendable, Hashable {
    /// Microseconds between two requests at the sustained rate.
    public var interval: Int64
    /// Requests allowed at once from idle.
    public var capacity: Int64

    /// Rates above 60 million a minute count as one request per microsecond, capacities are
    /// held to a billion: any plan a system admin writes gives a well-defined bucket.
    public init(perMinute: Int, capacity: Int) {
        interval = max(60_000_000 / Int64(min(max(perMinute, 1), 60_000_000)), 1)
        self.capacity = Int64(min(max(capacity, 1), 1_000_000_000))
    }

    var window: Int64 { interval * capacity }
}

/// The outcome of one decision over one or more buckets (all must allow; then all advance).
public struct RateDecision: Sendable, Equatable {
    public var allowed: Bool
    /// Capacity of the tightest bucket (the `RateLimit-Limit` header).
    public var limit: Int64
    /// Requests left in the tightest bucket after this one.
    public var remaining: Int64
    /// Microseconds until the tightest bucket is full again.
    public var resetMicros: Int64
    /// Microseconds until a refused request would be allowed (0 when allowed).
    public var retryAfterMicros: Int64
}

public enum GCRA {
    /// Decides for `buckets` whose stored TATs are `tats` (nil: never used) at `now` (µs);
    /// returns the decision and the TATs to store (unchanged when refused).
    public static func decide(buckets: [GCRABucket], tats: [Int64?], now: Int64) -> (RateDecision, [Int64]) {
        var allowed = true
        var retry: Int64 = 0
        var advanced: [Int64] = []
        var current: [Int64] = []
        for (bucket, stored) in zip(buckets, tats) {
            let tat = max(stored ?? now, now)
            let next = tat + bucket.interval
            if next - now > bucket.window {
                allowed = false
                retry = max(retry, next - now - bucket.window)
            }
            current.append(tat)
            advanced.append(next)
        }
        let kept = allowed ? advanced : current
        var tightest = RateDecision(allowed: allowed, limit: 0, remaining: .max, resetMicros: 0, retryAfterMicros: allowed ? 0 : retry)
        for (bucket, tat) in zip(buckets, kept) {
            let remaining = max((bucket.window - (tat - now)) / bucket.interval, 0)
            if remaining < tightest.remaining {
                tightest.remaining = remaining
                tightest.limit = bucket.capacity
                tightest.resetMicros = max(tat - now, 0)
            }
        }
        return (tightest, kept)
    }
}
