import Logging
import ServiceKit
import Synchronization

/// The client's hiredis connections: each connection thread (``RedisWorker``) owns one,
/// opened on first use and replaced after an I/O error, EOF or timeout. Owning rather than
/// sharing means a batch needs no lock to use its connection.
///
/// While Redis is down, a failed connect opens a short back-off window in which every call
/// fails at once with the same error instead of trying again: at most one connect attempt per
/// window, so a dead Redis costs callers microseconds.
///
/// `connection(_:)` blocks and runs only on the client's connection threads; `failFast` is
/// cheap and may be called anywhere.
final class RedisConnectionPool: Sendable {
    struct Configuration: Sendable {
        var endpoint: Endpoint
        var password: String?
        var database: Int
        var connectTimeout: Duration
        var commandTimeout: Duration
        var reconnectBackoff: Duration
    }

    private struct State {
        /// Every open connection, so `closeAll` can free them once the threads are done.
        var open: [ObjectIdentifier: RedisConnection] = [:]
        /// The last connect failure, while Redis is considered down.
        var failure: RedisError?
        /// Until when calls fail with `failure` without a connect attempt.
        var retryAfter: ContinuousClock.Instant = .now
    }

    private let configuration: Configuration
    private let logger: Logger
    private let state = Mutex(State())
    /// Mirrors `state.failure != nil`, so the healthy path reads an atomic instead of locking.
    private let isFailing = Atomic(false)
    private let isShutDownFlag = Atomic(false)

    init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Throws at once while the client is shut down or inside the back-off window; two
    /// atomic loads while Redis is healthy. The async side calls it before hopping threads.
    func failFast() throws(RedisError) {
        if isShutDown { throw .unavailable("client is shut down") }
        guard isFailing.load(ordering: .relaxed) else { return }
        try state.withLock { state throws(RedisError) in
            if let failure = state.failure, ContinuousClock.now < state.retryAfter { throw failure }
        }
    }

    var isShutDown: Bool { isShutDownFlag.load(ordering: .relaxed) }

    /// Stops new work: calls fail with ``RedisError/unavailable(_:)`` from now on.
    func beginShutdown() {
        isShutDownFlag.store(true, ordering: .relaxed)
    }

    /// Frees every connection; only once no pool thread can use one any more.
    func closeAll() {
        let open = state.withLock { state in
            defer { state.open = [:] }
            return Array(state.open.values)
        }
        for connection in open { connection.close() }
    }

    /// The calling thread's connection, kept in `slot`: reused while healthy, opened (with the
    /// back-off rules) when there is none.
    func connection(_ slot: inout RedisConnection?) throws(RedisError) -> RedisConnection {
        if isShutDown { throw .unavailable("client is shut down") }
        if let connection = slot {
            if connection.isReusable { return connection }
            // Closed by the server (restart, idle timeout): replace it rather than fail a batch.
            drop(&slot)
        }
        try admitConnectAttempt()
        do throws(RedisError) {
            let connection = try RedisConnection.connect(
                to: configuration.endpoint, password: configuration.password, database: configuration.database,
                connectTimeout: configuration.connectTimeout, commandTimeout: configuration.commandTimeout
            )
            let recovered = state.withLock { state in
                state.open[ObjectIdentifier(connection)] = connection
                defer { state.failure = nil }
                return state.failure != nil
            }
            isFailing.store(false, ordering: .relaxed)
            slot = connection
            if recovered { logger.notice("redis reachable again", metadata: ["redis": "redis://\(configuration.endpoint)"]) }
            return connection
        } catch {
            let backoff = configuration.reconnectBackoff
            let wasUp = state.withLock { state in
                defer {
                    state.failure = error
                    state.retryAfter = .now + backoff
                }
                return state.failure == nil
            }
            isFailing.store(true, ordering: .relaxed)
            if wasUp { logger.warning("redis unreachable", metadata: ["error": "\(error)"]) }
            throw error
        }
    }

    /// While Redis is down, lets one connect attempt through per back-off window: the first
    /// call after the window claims the attempt (pushing the window past its connect
    /// timeout) and every other call fails fast meanwhile.
    private func admitConnectAttempt() throws(RedisError) {
        guard isFailing.load(ordering: .relaxed) else { return }
        let claimWindow = configuration.connectTimeout + configuration.reconnectBackoff
        try state.withLock { state throws(RedisError) in
            guard let failure = state.failure else { return }
            let now = ContinuousClock.now
            if now < state.retryAfter { throw failure }
            state.retryAfter = now + claimWindow
        }
    }

    /// Closes and forgets the slot's connection: after `error` its socket cannot be trusted
    /// (or, without one, its thread is exiting).
    func drop(_ slot: inout RedisConnection?, after error: RedisError? = nil) {
        guard let connection = slot else { return }
        slot = nil
        _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(connection)) }
        connection.close()
        if let error { logger.debug("dropped a redis connection", metadata: ["error": "\(error)"]) }
    }
}
