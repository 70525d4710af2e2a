import Logging
import NIOPosix
import ServiceKit
import Synchronization

/// The client's hiredis connections: each thread of the client's thread pool owns one
/// connection, opened on first use and replaced after an I/O error, EOF or timeout. Owning
/// rather than sharing means the hot path takes no lock at all; there is also never a wait
/// for a free connection, since a job that runs has its thread's connection to itself.
///
/// While Redis is down, a failed connect opens a short back-off window in which every call
/// fails at once with the same error instead of trying again: at most one connect attempt per
/// window, so a dead Redis costs callers microseconds.
///
/// `withConnection` blocks and runs only on the client's pool threads; `failFast` is cheap
/// and may be called anywhere.
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
    private let owned = ThreadSpecificVariable<RedisConnection>()
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

    /// Runs `body` with this thread's connection, dropping the connection when the error
    /// means its socket can no longer be trusted (the next call on this thread reconnects).
    func withConnection<T>(_ body: (RedisConnection) throws(RedisError) -> T) throws(RedisError) -> T {
        let connection = try threadConnection()
        do throws(RedisError) {
            return try body(connection)
        } catch {
            if error.breaksConnection {
                drop(connection)
                logger.debug("dropped a redis connection", metadata: ["error": "\(error)"])
            }
            throw error
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

    private func threadConnection() throws(RedisError) -> RedisConnection {
        if isShutDown { throw .unavailable("client is shut down") }
        if let connection = owned.currentValue {
            if connection.isReusable { return connection }
            // Closed by the server (restart, idle timeout): replace it rather than fail a command.
            drop(connection)
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
            owned.currentValue = connection
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

    private func drop(_ connection: RedisConnection) {
        owned.currentValue = nil
        _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(connection)) }
        connection.close()
    }
}
