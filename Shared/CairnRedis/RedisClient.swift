import Logging
import NIOPosix
import ServiceKit
import ServiceLifecycle

/// The shared Redis client: a pool of blocking hiredis connections driven from a dedicated
/// thread pool, behind an async API.
///
/// Every call hops to the client's own `NIOThreadPool`, whose threads each own one connection,
/// so the blocking socket work never runs on an event loop or on Swift's cooperative pool.
/// Connections are reused, replaced after I/O errors (a restarted Redis is picked up by the
/// same client instance), and authenticate and select the database when they are opened.
/// While Redis is down, calls fail within microseconds with ``RedisError/unavailable(_:)``.
///
/// Lifecycle: the threads start in `init`. Run the client as a `Service` (it shuts down on
/// graceful shutdown) or call ``shutdown()`` once when done. Calls after that throw
/// ``RedisError/unavailable(_:)``.
public final class RedisClient: Service, Sendable, CustomStringConvertible {
    /// Tuning with defaults fit for a service talking to a nearby Redis.
    public struct Options: Sendable {
        /// Threads, each owning one connection; more concurrent calls queue for a thread.
        public var poolSize: Int
        /// Bounds the TCP connect. Short on purpose: a Redis that does not accept within this
        /// is treated as down, and callers degrade instead of waiting.
        public var connectTimeout: Duration
        /// Bounds each socket read and write of a command (`SO_RCVTIMEO`/`SO_SNDTIMEO`).
        public var commandTimeout: Duration
        /// After a failed connect, calls fail at once for this long before the next attempt.
        public var reconnectBackoff: Duration
        /// The database every connection selects (`SELECT`).
        public var database: Int

        public init(
            poolSize: Int = 8, connectTimeout: Duration = .milliseconds(250), commandTimeout: Duration = .seconds(1),
            reconnectBackoff: Duration = .milliseconds(200), database: Int = 0
        ) {
            precondition(poolSize > 0, "poolSize must be positive")
            self.poolSize = poolSize
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.reconnectBackoff = reconnectBackoff
            self.database = database
        }
    }

    public let settings: RedisSettings
    public let options: Options
    private let pool: RedisConnectionPool
    private let threadPool: NIOThreadPool

    /// Starts the client's threads; connections are opened lazily, on first use.
    public init(settings: RedisSettings, options: Options = Options(), logger: Logger = Logger(label: "cairn.redis")) {
        self.settings = settings
        self.options = options
        self.pool = RedisConnectionPool(
            configuration: .init(
                endpoint: settings.endpoint, password: settings.password, database: options.database,
                connectTimeout: options.connectTimeout, commandTimeout: options.commandTimeout,
                reconnectBackoff: options.reconnectBackoff
            ),
            logger: logger
        )
        self.threadPool = NIOThreadPool(numberOfThreads: options.poolSize)
        threadPool.start()
    }

    /// Never includes the password.
    public var description: String { "RedisClient(\(settings), db=\(options.database), pool=\(options.poolSize))" }

    /// Sends one command and returns its reply. An error reply is thrown as
    /// ``RedisError/server(_:)``.
    @discardableResult
    public func command(_ arguments: [RedisArgument]) async throws -> RedisValue {
        try await execute(RedisMetrics.commandLabel(arguments)) { connection throws(RedisError) in
            try connection.command(arguments)
        }
    }

    /// Sends all `commands` in one write and reads all replies, in order. Error replies are
    /// returned in place as ``RedisValue/error(_:)`` (one failing command does not hide the
    /// others' results); connection failures throw. Not a transaction: wrap the commands in
    /// `MULTI`/`EXEC` for atomicity.
    public func pipeline(_ commands: [[RedisArgument]]) async throws -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        return try await execute("PIPELINE") { connection throws(RedisError) in
            try connection.pipeline(commands)
        }
    }

    /// Runs until graceful shutdown, then shuts the client down.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Frees the connections and stops the threads; calls already queued fail with
    /// ``RedisError/unavailable(_:)``. Call it once.
    public func shutdown() async {
        pool.beginShutdown()
        try? await threadPool.shutdownGracefully()
        pool.closeAll()
    }

    deinit {
        // A client dropped without `shutdown()` must not leak its threads and sockets.
        pool.beginShutdown()
        threadPool.shutdownGracefully { [pool] _ in pool.closeAll() }
    }

    /// Runs `body` with a pooled connection on the thread pool, counting the outcome. Never
    /// retries: a command whose reply was lost may still have been applied.
    private func execute<T: Sendable>(
        _ label: String, _ body: @escaping @Sendable (RedisConnection) throws(RedisError) -> T
    ) async throws -> T {
        do {
            try pool.failFast()
            let result = try await threadPool.runIfActive { [pool] in try pool.withConnection(body) }
            RedisMetrics.record(command: label, outcome: "ok")
            return result
        } catch let error as RedisError {
            RedisMetrics.record(command: label, error: error)
            throw error
        } catch where error is NIOThreadPoolError.ThreadPoolInactive || pool.isShutDown {
            // Calls submitted after shutdown, or still queued when it began (NIO cancels those).
            let shutDown = RedisError.unavailable("client is shut down")
            RedisMetrics.record(command: label, error: shutDown)
            throw shutDown
        } catch {
            RedisMetrics.record(command: label, outcome: "cancelled")
            throw error
        }
    }
}
