import Synchronization

public struct TimeoutError: Error, CustomStringConvertible {
    public var after: Duration

    public init(after: Duration) {
        self.after = after
    }

    public var description: String { "timed out after \(after)" }
}

/// Runs `operation`, cancelling it and throwing ``TimeoutError`` once `timeout` has passed.
public func withTimeout<T: Sendable>(
    _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimeoutError(after: timeout)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Runs `operation` and returns its result, or throws ``TimeoutError`` once `timeout` has passed
/// even if the operation is stuck where cancellation cannot reach it.
///
/// ``withTimeout(_:_:)`` cancels a late operation and then waits for it to end, as structured
/// concurrency must; an operation waiting on a future that is never completed (PostgresNIO can
/// leave a query so when the server shuts down just as it is sent) keeps it waiting for ever.
/// This one cancels the operation and leaves it behind: for background loops that must not
/// stall, where going on matters more than what the stuck operation holds.
public func withHardTimeout<T: Sendable>(
    _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = HardTimeoutRace<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            race.set(continuation)
            let timer = Task {
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                race.cancelWork()
                race.finish(.failure(TimeoutError(after: timeout)))
            }
            race.start(Task {
                let result: Result<T, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                // The timer of an operation that finished in time must not linger until its deadline.
                timer.cancel()
                race.finish(result)
            })
            if Task.isCancelled { race.cancelWork() }
        }
    } onCancel: {
        race.cancelWork()
    }
}

/// The operation and the deadline of ``withHardTimeout(_:_:)``: the first to finish resumes the
/// caller; later results are dropped.
private final class HardTimeoutRace<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
    private let work = Mutex<Task<Void, Never>?>(nil)

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func start(_ task: Task<Void, Never>) {
        work.withLock { $0 = task }
    }

    func cancelWork() {
        work.withLock { $0 }?.cancel()
    }

    func finish(_ result: Result<T, any Error>) {
        continuation.withLock { pending in
            defer { pending = nil }
            return pending
        }?.resume(with: result)
    }
}
