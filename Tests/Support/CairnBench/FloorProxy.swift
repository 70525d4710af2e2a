import Foundation
import GatewayApp
import NIOCore
import NIOHTTP1
import NIOPosix

/// The floor under the gateway's hop, measured beside it: the least a Swift proxy on NIO can do
/// for the same request. Plain NIO handlers, everything of one client connection on its own
/// event loop (no Hummingbird, no Swift concurrency, no thread hop): a bearer token looked up
/// in a set (the gateway's verified-token cache hit), the gateway's own rate-limit script by
/// `EVALSHA` on the loop's Redis connection (one flush per loop turn, so concurrent decisions
/// share a write and Redis runs them pipelined), then the upstream over the loop's keep-alive
/// connections. No routing table, metrics, logs, edge headers or error handling: whatever a
/// real gateway does costs more than this.
enum FloorProxy {
    /// Starts the floor proxy on a free port (with `decide` false, it skips the Redis decision);
    /// close the returned channel to stop it.
    static func start(redisHost: String, redisPort: Int, upstreamPort: Int, tokens: Set<String>, decide: Bool) async throws -> any Channel {
        let group = MultiThreadedEventLoopGroup.singleton
        var loops: [ObjectIdentifier: FloorLoop] = [:]
        for loop in group.makeIterator() {
            let redis = try await ClientBootstrap(group: loop)
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(FloorRedisHandler()) } }
                .connect(host: redisHost, port: redisPort).get()
            loops[ObjectIdentifier(loop)] = FloorLoop(redis: redis, upstreamPort: upstreamPort)
        }
        let shared = loops
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        FloorServerHandler(loop: shared[ObjectIdentifier(channel.eventLoop)]!, tokens: tokens, decide: decide)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.closeFuture.whenComplete { _ in
            for loop in shared.values { loop.close() }
        }
        return server
    }
}

/// One event loop's connections: Redis, and the idle keep-alive connections to the upstream.
final class FloorLoop: @unchecked Sendable {
    let redis: any Channel
    let upstreamPort: Int
    /// Touched on the loop only.
    var idle: [any Channel] = []

    init(redis: any Channel, upstreamPort: Int) {
        self.redis = redis
        self.upstreamPort = upstreamPort
    }

    var flushPending = false

    /// Closes the loop's connections.
    func close() {
        redis.eventLoop.execute { [self] in
            redis.close(promise: nil)
            for channel in idle { channel.close(promise: nil) }
            idle = []
        }
    }

    /// Writes a command; the loop's commands of this turn go out in one flush (one syscall, one
    /// pipelined batch for Redis).
    func decide(_ command: FloorRedisHandler.Command) {
        redis.write(command, promise: nil)
        guard !flushPending else { return }
        flushPending = true
        redis.eventLoop.execute { [self] in
            flushPending = false
            redis.flush()
        }
    }

    func upstream(on loop: any EventLoop) -> EventLoopFuture<any Channel> {
        while let channel = idle.popLast() {
            if channel.isActive { return loop.makeSucceededFuture(channel) }
        }
        return ClientBootstrap(group: loop)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(FloorUpstreamHandler())
                }
            }
            .connect(host: "127.0.0.1", port: upstreamPort)
    }
}

final class FloorServerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let loop: FloorLoop
    let tokens: Set<String>
    let decide: Bool
    var head: HTTPRequestHead?

    init(loop: FloorLoop, tokens: Set<String>, decide: Bool) {
        self.loop = loop
        self.tokens = tokens
        self.decide = decide
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end: if let head { handle(head, context: context) }
        }
    }

    private func handle(_ request: HTTPRequestHead, context: ChannelHandlerContext) {
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        guard let authorization = request.headers.first(name: "authorization"), authorization.hasPrefix("Bearer "),
              tokens.contains(String(authorization.dropFirst(7))) else {
            return Self.respond(bound.value, status: .unauthorized, headers: HTTPHeaders(), body: ByteBuffer(), keepAlive: request.isKeepAlive)
        }
        let promise = context.eventLoop.makePromise(of: [Int].self)
        if decide {
            loop.decide(FloorRedisHandler.Command(buffer: Self.decision, reply: promise))
        } else {
            promise.succeed([1, 0, 0, 0, 0])
        }
        let loop = self.loop
        promise.futureResult.flatMap { decision -> EventLoopFuture<(FloorAnswer, [Int], any Channel)> in
            loop.upstream(on: bound.value.eventLoop).flatMap { upstream in
                var headers = HTTPHeaders()
                for (name, value) in request.headers where name.lowercased() != "connection" { headers.add(name: name, value: value) }
                headers.add(name: "X-Forwarded-For", value: "127.0.0.1")
                let answer = bound.value.eventLoop.makePromise(of: FloorAnswer.self)
                var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.uri, headers: headers)
                head.headers.replaceOrAdd(name: "Host", value: "127.0.0.1:\(loop.upstreamPort)")
                upstream.writeAndFlush(FloorUpstreamHandler.Exchange(head: head, answer: answer), promise: nil)
                return answer.futureResult.map { ($0, decision, upstream) }
            }
        }.whenComplete { result in
            let context = bound.value
            switch result {
            case .success(let (answer, decision, upstream)):
                loop.idle.append(upstream)
                var headers = answer.head.headers
                headers.add(name: "RateLimit-Limit", value: String(decision[1]))
                headers.add(name: "RateLimit-Remaining", value: String(decision[2]))
                headers.add(name: "RateLimit-Reset", value: String(decision[3] / 1_000_000))
                Self.respond(context, status: answer.head.status, headers: headers, body: answer.body, keepAlive: request.isKeepAlive)
            case .failure:
                Self.respond(context, status: .badGateway, headers: HTTPHeaders(), body: ByteBuffer(), keepAlive: false)
            }
        }
    }

    private static func respond(_ context: ChannelHandlerContext, status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer, keepAlive: Bool) {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { [channel = context.channel] _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }

    /// The gateway's decision for one caller and its tenant: two buckets, no limit to speak of.
    static let decision: ByteBuffer = {
        let parts = ["EVALSHA", RedisRateLimiter.script.sha1, "2", "cairn:rl:{floor}:general:user", "cairn:rl:{floor}:general:tenant",
                     "1", "100000000", "1", "100000000"]
        var buffer = ByteBuffer(string: "*\(parts.count)\r\n")
        for part in parts { buffer.writeString("$\(part.utf8.count)\r\n\(part)\r\n") }
        return buffer
    }()
}

struct FloorAnswer {
    var head: HTTPResponseHead
    var body: ByteBuffer
}

/// Requests on one upstream connection, one at a time; the whole answer back.
final class FloorUpstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Exchange
    typealias OutboundOut = HTTPClientRequestPart

    struct Exchange {
        var head: HTTPRequestHead
        var answer: EventLoopPromise<FloorAnswer>
    }

    var pending: EventLoopPromise<FloorAnswer>?
    var head: HTTPResponseHead?
    var body = ByteBuffer()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        pending = exchange.answer
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var part): body.writeBuffer(&part)
        case .end:
            let answer = FloorAnswer(head: head!, body: body)
            body = ByteBuffer()
            let promise = pending
            pending = nil
            promise?.succeed(answer)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending?.fail(ChannelError.ioOnClosedChannel)
        pending = nil
    }
}

/// RESP over one connection: commands written in order, replies matched to them in order.
/// Only the replies the rate-limit script gives (an array of integers) are understood.
final class FloorRedisHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Command
    typealias OutboundOut = ByteBuffer

    struct Command {
        var buffer: ByteBuffer
        var reply: EventLoopPromise<[Int]>
    }

    var waiting = CircularBuffer<EventLoopPromise<[Int]>>()
    var received = ByteBuffer()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        waiting.append(command.reply)
        context.write(wrapOutboundOut(command.buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var part = unwrapInboundIn(data)
        received.writeBuffer(&part)
        while let reply = Self.parse(&received) {
            switch reply {
            case .success(let values): waiting.removeFirst().succeed(values)
            case .failure(let error): waiting.removeFirst().fail(error)
            }
        }
        received.discardReadBytes()
    }

    func channelInactive(context: ChannelHandlerContext) {
        while let waiter = waiting.popFirst() { waiter.fail(ChannelError.ioOnClosedChannel) }
        context.fireChannelInactive()
    }

    /// One whole reply from the front of `buffer` (consumed), or nil until it has all arrived.
    static func parse(_ buffer: inout ByteBuffer) -> Result<[Int], any Error>? {
        var view = buffer
        guard let first = line(&view) else { return nil }
        if first.hasPrefix("-") {
            buffer = view
            return .failure(BenchFailed(first))
        }
        guard first.hasPrefix("*"), let count = Int(first.dropFirst()) else {
            buffer = view
            return .failure(BenchFailed("unexpected reply \(first)"))
        }
        var values: [Int] = []
        for _ in 0..<count {
            guard let item = line(&view) else { return nil }
            values.append(Int(item.dropFirst()) ?? 0)
        }
        buffer = view
        return .success(values)
    }

    static func line(_ buffer: inout ByteBuffer) -> String? {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\r")),
              end + 1 < buffer.writerIndex else { return nil }
        let text = buffer.readString(length: end - buffer.readerIndex)
        buffer.moveReaderIndex(forwardBy: 2)
        return text
    }
}
