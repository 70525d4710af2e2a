import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The gateway's keep-alive HTTP/1.1 connections to one upstream (`http://host:port`), on NIO's
/// event loops: an idle connection is reused (the most recently used first), otherwise one is
/// opened (1 s connect timeout). At most ``maxOpen`` (1,024) are open at once: past that a request is
/// refused at once (503) rather than queued, so a flood cannot exhaust the upstream's sockets.
/// At most ``maxIdle`` are kept idle, each for at most ``idleLifetime`` (under the services' own
/// 60 s idle timeout, so a connection is not reused just as the upstream closes it).
final class UpstreamConnectionPool: Sendable {
    let maxOpen: Int
    static let maxIdle = 128
    static let idleLifetime: TimeAmount = .seconds(50)
    static let connectTimeout: TimeAmount = .seconds(1)

    private struct State {
        var idle: [(connection: UpstreamConnection, since: NIODeadline)] = []
        var open = 0
    }

    let host: String
    let port: Int
    /// The `Host` header the upstream sees.
    let authority: String
    private let group: any EventLoopGroup
    private let state = Mutex(State())

    init(host: String, port: Int, maxOpen: Int = 1_024, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.maxOpen = maxOpen
        self.host = host
        self.port = port
        let named = host.contains(":") ? "[\(host)]" : host
        self.authority = port == 80 ? named : "\(named):\(port)"
        self.group = group
    }

    /// `http://host[:port]` (no path): the bases this pool serves; nil for anything else.
    convenience init?(base: String) {
        guard base.hasPrefix("http://") else { return nil }
        let rest = base.dropFirst("http://".count)
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else { return nil }
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            let host = String(rest[rest.index(after: rest.startIndex)..<close])
            let tail = rest[rest.index(after: close)...]
            guard !host.isEmpty, tail.isEmpty || tail.hasPrefix(":"), let port = tail.isEmpty ? 80 : Int(tail.dropFirst()),
                  (1...65_535).contains(port) else { return nil }
            self.init(host: host, port: port)
        } else {
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2, !parts[0].isEmpty, let port = parts.count == 2 ? Int(parts[1]) : 80, (1...65_535).contains(port) else { return nil }
            self.init(host: String(parts[0]), port: port)
        }
    }

    /// Sends one request and returns the answer's head (the body follows as it comes). A
    /// request that found its reused connection closed by the upstream is sent again once on a
    /// new one, if it is idempotent.
    func send(_ head: HTTPRequestHead, body: ByteBuffer?, headTimeout: TimeAmount) async throws -> UpstreamAnswer {
        let (connection, reused) = try await acquire()
        do {
            return try await connection.exchange(head, body: body, headTimeout: headTimeout)
        } catch UpstreamFailure.notSent {
            return try await sendOnFresh(head, body: body, headTimeout: headTimeout)
        } catch UpstreamFailure.closedBeforeAnswer where reused && Self.isIdempotent(head.method) {
            return try await sendOnFresh(head, body: body, headTimeout: headTimeout)
        }
    }

    private func sendOnFresh(_ head: HTTPRequestHead, body: ByteBuffer?, headTimeout: TimeAmount) async throws -> UpstreamAnswer {
        let (fresh, _) = try await acquire(reuse: false)
        return try await fresh.exchange(head, body: body, headTimeout: headTimeout)
    }

    static func isIdempotent(_ method: HTTPMethod) -> Bool {
        [.GET, .HEAD, .OPTIONS, .PUT, .DELETE].contains(method)
    }

    /// An idle connection (`reused`) or a new one.
    private func acquire(reuse: Bool = true) async throws -> (UpstreamConnection, reused: Bool) {
        let now = NIODeadline.now()
        var stale: [UpstreamConnection] = []
        // Expired connections are counted out under the lock (before the cap is checked) and
        // closed whatever the outcome.
        defer { for connection in stale { connection.channel.close(promise: nil) } }
        let found = try state.withLock { [maxOpen] state throws(UpstreamFailure) -> UpstreamConnection? in
            while reuse, let (connection, since) = state.idle.popLast() {
                if connection.channel.isActive && now - since < Self.idleLifetime { return connection }
                if connection.countOut() { state.open -= 1 }
                stale.append(connection)
            }
            guard state.open < maxOpen else { throw .saturated }
            state.open += 1
            return nil
        }
        if let found { return (found, true) }
        do {
            return (try await connect(), false)
        } catch {
            state.withLock { $0.open -= 1 }
            throw UpstreamFailure.unreachable("\(error)")
        }
    }

    private func connect() async throws -> UpstreamConnection {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(Self.connectTimeout)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(UpstreamExchangeHandler())
                }
            }
            .connect(host: host, port: port).get()
        let connection: UpstreamConnection
        do {
            connection = try await channel.eventLoop.submit { [self] in
                // Closed already (its handler's callbacks cleared): installing them now would leak.
                guard channel.isActive else { throw UpstreamFailure.notSent }
                let handler = try channel.pipeline.syncOperations.handler(type: UpstreamExchangeHandler.self)
                let connection = UpstreamConnection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
                handler.onReusable = { [weak self] in self?.release(connection) }
                handler.onClosing = { [weak self] in self?.closed(connection) }
                return connection
            }.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        // A channel that closes some other way (shutdown, say) is counted out too.
        channel.closeFuture.whenComplete { [weak self] _ in self?.closed(connection) }
        return connection
    }

    /// An answer is complete and the connection may carry the next request.
    private func release(_ connection: UpstreamConnection) {
        let kept = state.withLock { state in
            guard state.idle.count < Self.maxIdle else { return false }
            state.idle.append((connection, .now()))
            return true
        }
        if !kept { close(connection) }
    }

    private func close(_ connection: UpstreamConnection) {
        closed(connection)
        connection.channel.close(promise: nil)
    }

    /// Counts a closing connection out, once (both its handler and its channel's close report it).
    private func closed(_ connection: UpstreamConnection) {
        guard connection.countOut() else { return }
        state.withLock { state in
            state.open -= 1
            state.idle.removeAll { $0.connection === connection }
        }
    }

    /// Closes the idle connections (the ones in use close when their answers end).
    func closeIdle() {
        let idle = state.withLock { state in
            defer { state.idle = [] }
            return state.idle.map(\.connection)
        }
        for connection in idle { close(connection) }
    }
}

/// One pooled connection: its channel and the handler that runs its exchanges.
final class UpstreamConnection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<UpstreamExchangeHandler>
    /// Set once the pool has counted the connection out.
    private let countedOut = Atomic(false)

    /// True the first time only: the caller then takes the connection off the open count.
    func countOut() -> Bool {
        countedOut.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
    }

    init(channel: any Channel, handler: NIOLoopBound<UpstreamExchangeHandler>) {
        self.channel = channel
        self.handler = handler
    }

    /// One request and its answer's head; a cancelled caller closes the connection.
    func exchange(_ head: HTTPRequestHead, body: ByteBuffer?, headTimeout: TimeAmount) async throws -> UpstreamAnswer {
        let promise = channel.eventLoop.makePromise(of: UpstreamAnswer.self)
        handler.eventLoop.execute { [handler] in
            handler.value.start(head, body: body, headTimeout: headTimeout, promise: promise)
        }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: { [handler] in
            handler.eventLoop.execute { handler.value.abandon(promise) }
        }
    }
}
