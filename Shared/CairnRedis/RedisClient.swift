import Logging
import NIOPosix
import ServiceKit
import ServiceLifecycle

/// The shared Redis client: a few blocking hiredis connections driven from a dedicated thread
/// pool, behind an async API, with automatic pipelining.
///
/// Every call queues its command(s) for the client's own `NIOThreadPool`, whose threads each
/// own one connection, so the blocking socket work never runs on an event loop or on Swift's
/// cooperative pool. A connection thread takes everything queued at that moment (up to a
/// bound), writes it in one go and hands each caller its own replies: concurrent calls share
/// a round trip, while a lone call is sent at once (no waiting for a batch to fill). One
/// consequence: a blocking command (`BLPOP`) delays the calls batched behind it on its
/// connection. Connections are reused, replaced after I/O errors (a restarted Redis is picked
/// up by the same client instance), and authenticate and select the database when they are
/// opened. While Redis is down, calls fail within microseconds with ``RedisError/unavailable(_:)``.
///
/// Lifecycle: the threads start in `init`. Run the client as a `Service` (it shuts down on
/// graceful shutdown) or call ``shutdown()`` once when done. Calls after that throw
/// ``RedisError/unavailable(_:)``.
public final class RedisClient: Service, Sendable, CustomStringConvertible {
    /// Tuning with defaults fit for a service talking to a nearby Redis.
    public struct Options: Sendable {
        /// Connection threads, each owning one connection. Concurrent calls are batched onto
        /// them, so a few carry a busy service; more mainly keep a slow or blocking command
        /// from delaying the rest.
        public var poolSize: Int
        /// Bounds the TCP connect. Short on purpose: a Redis that does not accept within this
        /// is treated as down, and callers degrade instead of waiting.
        public var connectTimeout: Duration
        /// Bounds each socket read and write of a command (`SO_RCVTIMEO`/`SO_SNDTIMEO`). When it
        /// expires, every call in the same batch still waiting for its reply fails with
        /// ``RedisError/timeout`` (the connection is replaced).
        public var commandTimeout: Duration
        /// After a failed connect, calls fail at once for this long before the next attempt.
        public var reconnectBackoff: Duration
        /// The database every connection selects (`SELECT`).
        public var database: Int

        public init(
            poolSize: Int = 2, connectTimeout: Duration = .milliseconds(250), commandTimeout: Duration = .seconds(1),
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
    private let queue = RedisCommandQueue()
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
        // One long-running loop per thread: each thread is a connection, not a job runner.
        for _ in 0..<options.poolSize {
            threadPool.submit { [queue, pool] state in
                guard case .active = state else { return }
                RedisWorker.run(queue: queue, pool: pool)
            }
        }
    }

    /// Never includes the password.
    public var description: String { "RedisClient(\(settings), db=\(options.database), pool=\(options.poolSize))" }

    /// Sends one command and returns its reply. An error reply is thrown as
    /// ``RedisError/server(_:)``.
    @discardableResult
    public func command(_ arguments: [RedisArgument]) async throws -> RedisValue {
        let label = RedisMetrics.commandLabel(arguments)
        return try await execute(label, RedisWire.encode(arguments), commands: 1, errorReplyThrows: true)[0]
    }

    /// Sends all `commands` in one write and reads all replies, in order; concurrent calls
    /// never interleave with them. Error replies are returned in place as
    /// ``RedisValue/error(_:)`` (one failing command does not hide the others' results);
    /// connection failures throw. Not a transaction: wrap the commands in `MULTI`/`EXEC` for
    /// atomicity.
    public func pipeline(_ commands: [[RedisArgument]]) async throws -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        return try await execute("PIPELINE", RedisWire.encode(commands), commands: commands.count, errorReplyThrows: false)
    }

    /// Runs until graceful shutdown, then shuts the client down.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Frees the connections and stops the threads; calls already queued fail with
    /// ``RedisError/unavailable(_:)``. Call it once.
    public func shutdown() async {
        stopAccepting()
        try? await threadPool.shutdownGracefully()
        pool.closeAll()
    }

    deinit {
        // A client dropped without `shutdown()` must not leak its threads and sockets.
        stopAccepting()
        threadPool.shutdownGracefully { [pool] _ in pool.closeAll() }
    }

    /// Fails new and queued calls, and wakes the connection threads so they exit after the
    /// batch they are on.
    private func stopAccepting() {
        pool.beginShutdown()
        for request in queue.close() { request.continuation.resume(throwing: RedisError.unavailable("client is shut down")) }
    }

    /// Queues encoded commands for a connection thread and waits for their replies, counting
    /// the outcome. With `errorReplyThrows`, an error reply (of the one command) is thrown as
    /// ``RedisError/server(_:)``. Never retries: a command whose reply was lost may still have
    /// been applied.
    private func execute(_ label: String, _ wire: [UInt8], commands: Int, errorReplyThrows: Bool) async throws -> [RedisValue] {
        do {
            try pool.failFast()
            let replies = try await withUnsafeThrowingContinuation { continuation in
                let request = RedisRequest(wire: wire, commandCount: commands, continuation: continuation)
                if !queue.enqueue(request) { continuation.resume(throwing: RedisError.unavailable("client is shut down")) }
            }
            if errorReplyThrows, case .error(let message) = replies[0] { throw RedisError.server(message) }
            RedisMetrics.record(command: label, outcome: "ok")
            return replies
        } catch let error as RedisError {
            RedisMetrics.record(command: label, error: error)
            throw error
        } catch {
            RedisMetrics.record(command: label, outcome: "cancelled")
            throw error
        }
    }
}
