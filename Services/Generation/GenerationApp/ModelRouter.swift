import Logging
import Metrics
import Synchronization

/// What the router's stream says: which model answers (once, before its first event), then
/// that model's events. A failure before any model said anything is thrown; a failure after is
/// a terminal ``GenerationEvent/error(_:)`` followed by `finish(.error)`.
public enum RoutedEvent: Sendable, Equatable {
    case started(ModelEntry)
    case event(GenerationEvent)
}

/// The router's limits (README "Generation", routing).
public struct RoutingPolicy: Sendable, Equatable {
    /// Longest wait for a model's first event, per attempt.
    public var firstTokenTimeout: Duration
    /// Longest whole answer, across every attempt and fallback.
    public var totalTimeout: Duration
    /// Attempts per model before moving to the next in the chain (only before the first token).
    public var attemptsPerModel: Int
    public var breakerFailures: Int
    public var breakerOpenFor: Duration

    public init(firstTokenTimeout: Duration, totalTimeout: Duration, attemptsPerModel: Int, breakerFailures: Int, breakerOpenFor: Duration) {
        self.firstTokenTimeout = firstTokenTimeout
        self.totalTimeout = totalTimeout
        self.attemptsPerModel = attemptsPerModel
        self.breakerFailures = breakerFailures
        self.breakerOpenFor = breakerOpenFor
    }
}

/// Every model of a chain failed (or was skipped by an open breaker) before saying anything.
public struct NoModelAvailable: Error, Sendable, Equatable {
    public var failures: [ProviderFailure]
}

/// Runs a request along a fallback chain: per model, the provider's breaker must let it
/// through; each attempt has the time-to-first-token limit; failures before the first event
/// are retried (`attemptsPerModel`) and then fall through to the next model; once a model has
/// spoken it is committed to, and a later failure ends the stream with an error event.
public final class ModelRouter: Sendable {
    public let catalog: ModelCatalog
    public let policy: RoutingPolicy
    private let providers: [String: any GenerationProvider]
    private let breakers: [String: CircuitBreaker]
    private let logger: Logger
    private let attempts = Counter(label: "generation_provider_attempts_total")

    public init(catalog: ModelCatalog, providers: [any GenerationProvider], policy: RoutingPolicy, logger: Logger) {
        self.catalog = catalog
        self.policy = policy
        self.providers = Dictionary(providers.map { ($0.name, $0) }) { first, _ in first }
        self.breakers = Dictionary(uniqueKeysWithValues: providers.map {
            ($0.name, CircuitBreaker(provider: $0.name, failureThreshold: policy.breakerFailures, openFor: policy.breakerOpenFor))
        })
        self.logger = logger
    }

    public func breaker(_ provider: String) -> CircuitBreaker? { breakers[provider] }

    /// Streams the answer of the first model of `chain` that answers; `request` builds each
    /// model's request (prompts depend on the context window). Cancelling the consumer cancels
    /// the provider call.
    public func stream(
        chain: [ModelEntry], logger: Logger, request: @escaping @Sendable (ModelEntry) throws -> ProviderRequest
    ) -> AsyncThrowingStream<RoutedEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<RoutedEvent, any Error>.makeStream()
        let task = Task {
            do {
                try await self.run(chain: chain, logger: logger, request: request, continuation: continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private enum Outcome {
        case completed
        case failed(ProviderFailure, afterFirstEvent: Bool)
    }

    private func run(
        chain: [ModelEntry], logger: Logger, request: @Sendable (ModelEntry) throws -> ProviderRequest,
        continuation: AsyncThrowingStream<RoutedEvent, any Error>.Continuation
    ) async throws {
        let deadline = ContinuousClock.now + policy.totalTimeout
        var failures: [ProviderFailure] = []
        for model in chain {
            guard let provider = providers[model.provider], let breaker = breakers[model.provider] else { continue }
            let providerRequest = try request(model)
            for attempt in 1...max(1, policy.attemptsPerModel) {
                try Task.checkCancellation()
                guard ContinuousClock.now < deadline else {
                    throw NoModelAvailable(failures: failures + [ProviderFailure(.totalTimeout, provider: model.provider)])
                }
                guard breaker.acquire() else {
                    failures.append(ProviderFailure(.circuitOpen, provider: model.provider))
                    Counter(label: "generation_provider_calls_total", dimensions: [("provider", model.provider), ("outcome", "circuit_open")]).increment()
                    break
                }
                attempts.increment()
                let outcome = await attemptOnce(provider, model: model, request: providerRequest, deadline: deadline, continuation: continuation)
                switch outcome {
                case .completed:
                    breaker.recordSuccess()
                    Counter(label: "generation_provider_calls_total", dimensions: [("provider", model.provider), ("outcome", "ok")]).increment()
                    return
                case .failed(let failure, let afterFirstEvent):
                    if Task.isCancelled {
                        breaker.release()
                        throw CancellationError()
                    }
                    if failure.isRetryable { breaker.recordFailure() } else { breaker.recordSuccess() }
                    Counter(label: "generation_provider_calls_total", dimensions: [("provider", model.provider), ("outcome", failure.kind.rawValue)]).increment()
                    logger.warning("provider failed", metadata: [
                        "provider": "\(model.provider)", "model": "\(model.id)", "attempt": "\(attempt)", "after_first_token": "\(afterFirstEvent)",
                        "failure": "\(failure)",
                    ])
                    if afterFirstEvent {
                        continuation.yield(.event(.error(failure)))
                        continuation.yield(.event(.finish(.error)))
                        return
                    }
                    failures.append(failure)
                    if !failure.isRetryable { break }
                }
            }
        }
        throw NoModelAvailable(failures: failures)
    }

    /// One call: the provider's events are forwarded while a watchdog enforces the
    /// time-to-first-token and total deadlines.
    private func attemptOnce(
        _ provider: any GenerationProvider, model: ModelEntry, request: ProviderRequest, deadline: ContinuousClock.Instant,
        continuation: AsyncThrowingStream<RoutedEvent, any Error>.Continuation
    ) async -> Outcome {
        let first = FirstEventRace()
        let firstTokenDeadline = min(ContinuousClock.now + policy.firstTokenTimeout, deadline)
        let name = provider.name
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await event in provider.stream(request) {
                        if !first.hasSpoken {
                            // Lost to the watchdog: nothing of this attempt may reach the client.
                            guard first.speak() else { throw ProviderFailure(.firstTokenTimeout, provider: name) }
                            continuation.yield(.started(model))
                        }
                        continuation.yield(.event(event))
                    }
                    if !first.hasSpoken {
                        throw ProviderFailure(.protocolError, provider: name, detail: "the stream ended without a single event")
                    }
                }
                group.addTask {
                    try await Task.sleep(until: firstTokenDeadline)
                    if first.timeOut() { throw ProviderFailure(.firstTokenTimeout, provider: name) }
                    try await Task.sleep(until: deadline)
                    throw ProviderFailure(.totalTimeout, provider: name)
                }
                try await group.next()
                group.cancelAll()
            }
            return .completed
        } catch let failure as ProviderFailure {
            return .failed(failure, afterFirstEvent: first.hasSpoken)
        } catch {
            return .failed(ProviderFailure(.transport, provider: name, detail: String(describing: error)), afterFirstEvent: first.hasSpoken)
        }
    }
}

/// The race of an attempt's first event against its time-to-first-token deadline, decided
/// exactly once: either the provider spoke first (and the attempt is committed to) or the
/// deadline passed first (and nothing of the attempt is forwarded).
private final class FirstEventRace: Sendable {
    private static let pending = 0, spoke = 1, timedOut = 2
    private let state = Atomic<Int>(pending)

    var hasSpoken: Bool { state.load(ordering: .acquiring) == Self.spoke }

    /// True if the provider won (or had already won).
    func speak() -> Bool {
        let (exchanged, original) = state.compareExchange(expected: Self.pending, desired: Self.spoke, ordering: .acquiringAndReleasing)
        return exchanged || original == Self.spoke
    }

    /// True if the deadline won.
    func timeOut() -> Bool {
        state.compareExchange(expected: Self.pending, desired: Self.timedOut, ordering: .acquiringAndReleasing).exchanged
    }
}
