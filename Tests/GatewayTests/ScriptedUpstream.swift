import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A raw HTTP/1.1 upstream over NIO, for the proxy's connection pool: each answer names the
/// connection it came on, and a few paths misbehave on purpose.
///
/// - `/whoami`: answers with the connection's serial number (1, 2, ...).
/// - `/first-only`: answers the first request of a connection; on any later one it closes the
///   connection without a word (an upstream closing an idle keep-alive connection just as the
///   next request arrives).
/// - `/silent`: never answers.
/// - `/endless`: streams a chunk every 5 ms until the connection closes, then counts the stream
///   as ended by the client (``endedStreams``).
/// - `/flood`: writes 16 KiB chunks as fast as the connection takes them, counting the bytes
///   (``floodedBytes``): how much it gets rid of shows whether the reader applies back-pressure.
/// - `/two-parts`: a streamed answer, its second part and end 1 s after the first (long enough to arrive in a read of its own even on a busy machine).
final class ScriptedUpstream: Sendable {
    let port: Int
    private let channel: any Channel
    private let counters: Counters

    final class Counters: Sendable {
        let connections = Atomic(0)
        let endedStreams = Atomic(0)
        let floodedBytes = Atomic(0)
    }

    /// Connections accepted so far.
    var connections: Int { counters.connections.load(ordering: .relaxed) }
    /// Endless streams whose connection the client closed.
    var endedStreams: Int { counters.endedStreams.load(ordering: .relaxed) }
    /// Bytes the `/flood` answers have handed to their connections.
    var floodedBytes: Int { counters.floodedBytes.load(ordering: .relaxed) }

    private init(channel: any Channel, counters: Counters) {
        self.channel = channel
        self.port = channel.localAddress!.port!
        self.counters = counters
    }

    static func start() async throws -> ScriptedUpstream {
        let counters = Counters()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let serial = counters.connections.add(1, ordering: .relaxed).newValue
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(serial: serial, counters: counters))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedUpstream(channel: channel, counters: counters)
    }

    func stop() async {
        try? await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let serial: Int
        let counters: Counters
        var requests = 0
        var path = ""
        var streaming = false
        var flooding = false

        init(serial: Int, counters: Counters) {
            self.serial = serial
            self.counters = counters
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                requests += 1
                path = head.uri
            case .body:
                break
            case .end:
                switch path {
                case "/whoami": answer(context, "\(serial)")
                case "/first-only": if requests == 1 { answer(context, "first") } else { context.close(promise: nil) }
                case "/silent": break
                case "/endless": stream(context)
                case "/flood": flood(context)
                case "/two-parts": twoParts(context)
                default: answer(context, "unknown", status: .notFound)
                }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if streaming { counters.endedStreams.add(1, ordering: .relaxed) }
            context.fireChannelInactive()
        }

        private func answer(_ context: ChannelHandlerContext, _ text: String, status: HTTPResponseStatus = .ok) {
            let head = HTTPResponseHead(version: .http1_1, status: status, headers: ["Content-Length": "\(text.utf8.count)"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }

        func channelWritabilityChanged(context: ChannelHandlerContext) {
            if flooding && context.channel.isWritable { pump(context) }
            context.fireChannelWritabilityChanged()
        }

        private func flood(_ context: ChannelHandlerContext) {
            flooding = true
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok))), promise: nil)
            pump(context)
        }

        /// Writes until the connection's outbound buffer is full; writability brings it back.
        private func pump(_ context: ChannelHandlerContext) {
            let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 16_384)
            while context.channel.isActive && context.channel.isWritable {
                context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
                counters.floodedBytes.add(chunk.readableBytes, ordering: .relaxed)
            }
            context.flush()
        }

        private func twoParts(_ context: ChannelHandlerContext) {
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "10"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "first")))), promise: nil)
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { [self] in
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "secnd")))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }

        private func stream(_ context: ChannelHandlerContext) {
            streaming = true
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Type": "text/event-stream"])
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
            let loop = context.eventLoop.assumeIsolated()
            func tick(_ n: Int) {
                guard context.channel.isActive else { return }
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "data: \(n)\n\n")))), promise: nil)
                loop.scheduleTask(in: .milliseconds(5)) { tick(n + 1) }
            }
            tick(0)
        }
    }
}
