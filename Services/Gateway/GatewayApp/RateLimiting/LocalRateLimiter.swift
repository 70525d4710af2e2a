import Foundation
import Synchronization

/// The in-process fallback while Redis is unreachable: the same GCRA over the same keys, per
/// replica. Buckets that have refilled completely are dropped, so memory follows active callers.
final class LocalRateLimiter: Sendable {
    private struct State {
        var tats: [String: Int64] = [:]
        var decisionsSincePrune = 0
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Int64

    init(now: @escaping @Sendable () -> Int64 = LocalRateLimiter.monotonicMicros) {
        self.now = now
    }

    private static let origin = ContinuousClock.now

    /// Microseconds on a clock that never steps (a wall-clock jump would empty or fill buckets).
    static func monotonicMicros() -> Int64 {
        let elapsed = ContinuousClock.now - origin
        return elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000 + 1
    }

    func decide(keys: [String], buckets: [GCRABucket]) -> RateDecision {
        let now = now()
        return state.withLock { state in
            let (decision, tats) = GCRA.decide(buckets: buckets, tats: keys.map { state.tats[$0] }, now: now)
            for (key, tat) in zip(keys, tats) { state.tats[key] = tat }
            state.decisionsSincePrune += 1
            if state.decisionsSincePrune >= 10_000 {
                state.decisionsSincePrune = 0
                state.tats = state.tats.filter { $0.value > now }
            }
            return decision
        }
    }

    var bucketCount: Int { state.withLock { $0.tats.count } }
}
