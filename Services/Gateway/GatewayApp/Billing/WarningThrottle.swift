import Synchronization

/// Says yes at most once per `interval`: for warnings that would otherwise repeat on every
/// request during an outage.
final class WarningThrottle: Sendable {
    private let interval: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(interval: Duration = .seconds(60)) {
        self.interval = interval
    }

    func shouldWarn() -> Bool {
        let now = ContinuousClock.now
        return last.withLock { last in
            guard last.map({ now - $0 > interval }) ?? true else { return false }
            last = now
            return true
        }
    }
}
