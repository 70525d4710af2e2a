import CHiredis
import ServiceKit
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking hiredis connection. Every method blocks the calling thread, so they are only
/// ever called from the client's dedicated thread pool.
///
/// `@unchecked Sendable` because only the connection thread that opened it uses it; the one
/// exception, `close()` at shutdown, runs after that thread has finished its work.
final class RedisConnection: @unchecked Sendable {
    private let context: UnsafeMutablePointer<redisContext>
    /// `close()` may race with `deinit` on the owning thread's exit; exactly one frees.
    private let isFreed = Atomic(false)

    private init(context: UnsafeMutablePointer<redisContext>) {
        self.context = context
    }

    deinit { close() }

    /// Connects, then authenticates and selects the database, so every connection the pool
    /// hands out (the first, and each replacement after a reconnect) is ready to use.
    static func connect(
        to endpoint: Endpoint, password: String?, database: Int, connectTimeout: Duration, commandTimeout: Duration
    ) throws(RedisError) -> RedisConnection {
        guard let context = redisConnectWithTimeout(endpoint.host, Int32(endpoint.port), timeval(connectTimeout)) else {
            throw .unavailable("redis://\(endpoint): cannot allocate a connection")
        }
        let connection = RedisConnection(context: context)
        if context.pointee.err != 0 {
            throw .unavailable("redis://\(endpoint): \(connection.errorString)")
        }
        guard redisSetTimeout(context, timeval(commandTimeout)) == REDIS_OK else {
            throw .unavailable("redis://\(endpoint): cannot set the socket timeout: \(connection.errorString)")
        }
        if let password {
            do throws(RedisError) {
                _ = try connection.command(["AUTH", RedisArgument(password)])
            } catch {
                if case .server(let message) = error { throw .authenticationFailed(message) }
                throw error
            }
        }
        if database != 0 {
            _ = try connection.command(["SELECT", RedisArgument(database)])
        }
        return connection
    }

    /// Sends one command and reads its reply; an error reply is thrown as ``RedisError/server(_:)``.
    /// Only for the handshake (AUTH, SELECT): everything else goes through the batched path.
    func command(_ arguments: [RedisArgument]) throws(RedisError) -> RedisValue {
        Self.blockSIGPIPE()
        let reply = Self.withArgv(arguments) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let reply else { throw failure() }
        defer { freeReplyObject(reply) }
        let value = Self.value(of: reply.assumingMemoryBound(to: redisReply.self))
        if case .error(let message) = value { throw .server(message) }
        return value
    }

    /// Adds already encoded commands (``RedisWire``) to hiredis's output buffer; nothing is
    /// sent yet. The first ``readReply()`` writes the whole buffer, so a batch costs one
    /// write and one round trip.
    func append(wire: [UInt8]) throws(RedisError) {
        let status = wire.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { redisAppendFormattedCommand(context, $0.baseAddress, $0.count) }
        }
        guard status == REDIS_OK else { throw failure() }
    }

    /// Reads the next reply, first flushing whatever ``append(wire:)`` buffered. Error replies
    /// are returned as ``RedisValue/error(_:)``; a thrown error means the connection is broken.
    func readReply() throws(RedisError) -> RedisValue {
        var reply: UnsafeMutableRawPointer?
        guard redisGetReply(context, &reply) == REDIS_OK, let reply else { throw failure() }
        defer { freeReplyObject(reply) }
        return Self.value(of: reply.assumingMemoryBound(to: redisReply.self))
    }

    /// Whether an idle connection can be reused: the peer has not closed it (after a Redis
    /// restart every pooled socket has seen EOF) and no stray bytes are waiting. One
    /// non-blocking `recv` with `MSG_PEEK`, so a stale connection costs a syscall, not a
    /// failed command.
    var isReusable: Bool {
        guard context.pointee.err == 0 else { return false }
        var byte: UInt8 = 0
        let received = recv(context.pointee.fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    func close() {
        guard !isFreed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        redisFree(context)
    }

    /// The typed error for the failure hiredis just recorded on the context. A read that hit
    /// `SO_RCVTIMEO` is an I/O error with `EAGAIN`: that is our command timeout.
    private func failure() -> RedisError {
        let code = errno
        switch context.pointee.err {
        case REDIS_ERR_IO where code == EAGAIN || code == EWOULDBLOCK: return .timeout
        case REDIS_ERR_PROTOCOL: return .protocolError(errorString)
        case REDIS_ERR_OOM: return .protocolError("hiredis out of memory")
        default: return .unavailable("redis://\(endpointDescription): \(errorString)")
        }
    }

    private var errorString: String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return bytes.isEmpty ? "connection error" : String(decoding: bytes, as: UTF8.self)
        }
    }

    private var endpointDescription: String {
        guard let host = context.pointee.tcp.host else { return "?" }
        return Endpoint(host: String(cString: host), port: Int(context.pointee.tcp.port)).description
    }

    /// hiredis writes with `write(2)`; a write to a socket Redis has closed would raise
    /// SIGPIPE and kill the process. Blocking the signal on the writing thread (all of which
    /// are the client's own) turns it into an `EPIPE` error instead, without changing the
    /// process-wide disposition other code may rely on.
    static func blockSIGPIPE() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Calls `body` with hiredis's `argc`/`argv`/`argvlen` for `arguments`, every argument
    /// pointing into one contiguous buffer (explicit lengths: NUL bytes are safe).
    private static func withArgv<R>(
        _ arguments: [RedisArgument],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(arguments.reduce(1) { $0 + $1.bytes.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(buffer.count)
            lengths.append(argument.bytes.count)
            buffer.append(contentsOf: argument.bytes)
        }
        buffer.append(0)  // never empty, so the base address is never nil
        return buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            var argv: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
            return argv.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { lengths in
                    body(Int32(arguments.count), argv.baseAddress!, lengths.baseAddress!)
                }
            }
        }
    }

    /// Copies a hiredis reply tree into a ``RedisValue``.
    private static func value(of reply: UnsafePointer<redisReply>) -> RedisValue {
        let reply = reply.pointee
        func bytes() -> [UInt8] {
            guard let str = reply.str, reply.len > 0 else { return [] }
            return Array(UnsafeRawBufferPointer(start: str, count: reply.len))
        }
        switch reply.type {
        case REDIS_REPLY_STRING: return .bulk(bytes())
        case REDIS_REPLY_INTEGER: return .integer(Int(reply.integer))
        case REDIS_REPLY_STATUS: return .status(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_ERROR: return .error(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_ARRAY:
            guard let elements = reply.element else { return .array([]) }
            return .array((0..<reply.elements).map { index in
                elements[index].map { value(of: $0) } ?? .null
            })
        default: return .null
        }
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
