import Metrics
import Synchronization

/// One provider's circuit breaker. Closed: calls go through, consecutive failures are counted;
/// `failureThreshold` of them in a row open it. Open: calls are refused at once for `openFor`.
/// Then half-open: exactly one call (the probe) goes through; its success closes the breaker,
/// its failure opens it again for another `openFor`.
public final class CircuitBreaker: Sendable {
    public enum State: Sendable, Equatable {
        case closed(failures: Int)
        case open(until: ContinuousClock.Instant)
        case halfOpen(probing: Bool)
    }

    public let provider: String
    public let failureThreshold: Int
    public let openFor: Duration
    private let state = Mutex<State>(.closed(failures: 0))
    private let gauge: Gauge

    public init(provider: String, failureThreshold: Int, openFor: Duration) {
        self.provider = provider
        self.failureThreshold = max(1, failureThreshold)
        self.openFor = openFor
        self.gauge = Gauge(label: "generation_circuit_open", dimensions: [("provider", provider)])
        gauge.record(0)
    }

    public var current: State { state.withLock { $0 } }

    /// Whether a call may go ahead now; a true answer in half-open state makes the caller the probe.
    public func acquire(now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { state in
            switch state {
            case .closed:
                return true
            case .open(let until):
                guard now >= until else { return false }
                state = .halfOpen(probing: true)
                return true
            case .halfOpen(let probing):
                guard !probing else { return false }
                state = .halfOpen(probing: true)
                return true
            }
        }
    }

    public func recordSuccess() {
        state.withLock { $0 = .closed(failures: 0) }
        gauge.record(0)
    }

    public func recordFailure(now: ContinuousClock.Instant = .now) {
        let opened = state.withLock { state -> Bool in
            switch state {
            case .closed(let failures) where failures + 1 < failureThreshold:
                state = .closed(failures: failures + 1)
                return false
            case .open:
                return false
            default:
                state = .open(until: now + openFor)
                return true
            }
        }
        if opened { gauge.record(1) }
    }

    /// A call that was let through but ended without saying anything about the provider
    /// (the client went away): a probe slot is given back.
    public func release() {
        state.withLock { state in
            if case .halfOpen(true) = state { state = .halfOpen(probing: false) }
        }
    }
}
