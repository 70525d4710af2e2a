import NIOCore
import NIOHTTP1

/// What an upstream answered: its head, the body parts that came with it in the same read (the
/// whole body, for the usual small answer), and the stream of the rest when more is coming.
struct UpstreamAnswer: Sendable {
    var head: HTTPResponseHead
    var firstParts: [ByteBuffer]
    var rest: UpstreamBodyStream?
    /// Fails `rest` and closes its connection (the client went away); nothing once the answer is done.
    var abandon: @Sendable () -> Void = {}
}

typealias UpstreamBodyStream = NIOThrowingAsyncSequenceProducer<
    ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, UpstreamExchangeHandler.BodyDelegate
>

/// Why an exchange with an upstream failed; ``UpstreamProxy/upstreamError(_:upstream:logger:)``
/// turns each into its status.
enum UpstreamFailure: Error, Equatable {
    /// No connection could be made (503).
    case unreachable(String)
    /// The gateway already holds its most connections to this upstream (503).
    case saturated
    /// No answer head in time, or a streamed answer that stalled (504).
    case timeout
    /// The connection was closed before the request was sent: safe to send again on another.
    case notSent
    /// The connection closed before a single byte of the answer came: on a reused keep-alive
    /// connection, the upstream closing it while idle (the request may be sent again if it is
    /// idempotent); otherwise 502.
    case closedBeforeAnswer
    /// Closed or garbled after the answer began (502).
    case broken(String)
}

/// One keep-alive HTTP/1.1 connection's side of an exchange, on its event loop: sends a request,
/// hands back the answer's head with the body parts of the same read, then streams the rest
/// with back-pressure (the connection reads only while the consumer keeps up). Once the answer
/// is complete, the connection goes back to its pool (``onReusable``), or is closed when either
/// side said `Connection: close`. A consumer that stops reading mid-answer (the client went
/// away) closes the connection, which is how the upstream learns of the disconnect.
final class UpstreamExchangeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// A streamed answer with no data for this long fails (504 before the head, a cut stream after).
    static let stallTimeout: TimeAmount = .seconds(120)

    private enum State {
        case idle
        case awaitingHead(EventLoopPromise<UpstreamAnswer>)
        case collecting(EventLoopPromise<UpstreamAnswer>, HTTPResponseHead, [ByteBuffer])
        case streaming(UpstreamBodyStream.Source)
        case closed
    }

    private var state = State.idle
    private var context: ChannelHandlerContext?
    /// Tells a body stream's late callbacks apart from the exchange now on the connection.
    private var exchangeID: UInt64 = 0
    private var keepAlive = true
    private var shouldRead = true
    private var pendingRead = false
    private var timer: Scheduled<Void>?
    private var lastRead = NIODeadline.now()
    /// Hands the connection back to its pool when an answer is complete.
    var onReusable: (() -> Void)?
    /// Tells the pool the connection is closing, before any caller hears why.
    var onClosing: (() -> Void)?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Sends `head` and `body`; `promise` gets the answer's head (or the failure).
    func start(_ head: HTTPRequestHead, body: ByteBuffer?, headTimeout: TimeAmount, promise: EventLoopPromise<UpstreamAnswer>) {
        guard case .idle = state, let context, context.channel.isActive else {
            promise.fail(UpstreamFailure.notSent)
            return
        }
        exchangeID &+= 1
        let exchange = exchangeID
        state = .awaitingHead(promise)
        keepAlive = head.isKeepAlive
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: headTimeout) { [self] in fail(.timeout) }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        written.futureResult.assumeIsolated().whenFailure { [self] _ in
            // Only while this exchange still waits for its head; later, the read side decides.
            guard exchange == exchangeID, case .awaitingHead = state else { return }
            fail(.closedBeforeAnswer)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .awaitingHead(let promise) = state else {
                // An answer nobody asked for: the connection is out of step, never to be reused.
                return fail(.broken("an answer with no request"))
            }
            // 1xx interim answers (never asked for: `Expect` is not forwarded) are skipped.
            guard head.status.code >= 200 else { return }
            keepAlive = keepAlive && head.isKeepAlive
            state = .collecting(promise, head, [])
            cancelTimer()
        case .body(let buffer):
            switch state {
            case .collecting(let promise, let head, var parts):
                state = .idle
                parts.append(buffer)
                state = .collecting(promise, head, parts)
            case .streaming(let source):
                lastRead = .now()
                if source.yield(buffer) == .stopProducing { shouldRead = false }
            default:
                break
            }
        case .end:
            switch state {
            // The connection goes back to its pool before the caller hears of the end, so the
            // caller's next request finds it there.
            case .collecting(let promise, let head, let parts):
                state = .idle
                finishExchange(context: context)
                promise.succeed(UpstreamAnswer(head: head, firstParts: parts, rest: nil))
            case .streaming(let source):
                state = .idle
                finishExchange(context: context)
                source.finish()
            default:
                break
            }
        }
    }

    /// After a read that brought the head but not the end: the answer goes to the caller now,
    /// and the rest follows as a stream.
    func channelReadComplete(context: ChannelHandlerContext) {
        if case .collecting(let promise, let head, let parts) = state {
            let delegate = BodyDelegate(handler: NIOLoopBound(self, eventLoop: context.eventLoop), exchange: exchangeID)
            let body = UpstreamBodyStream.makeSequence(
                backPressureStrategy: .init(lowWatermark: 2, highWatermark: 16), finishOnDeinit: false, delegate: delegate
            )
            state = .streaming(body.source)
            lastRead = .now()
            armStallTimer(context: context)
            let handler = delegate.handler
            let exchange = exchangeID
            promise.succeed(UpstreamAnswer(head: head, firstParts: parts, rest: body.sequence, abandon: {
                handler.eventLoop.execute { handler.value.clientGone(exchange) }
            }))
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if shouldRead { context.read() } else { pendingRead = true }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .awaitingHead: fail(.closedBeforeAnswer)
        case .collecting, .streaming: fail(.broken("the connection closed before the answer was complete"))
        case .idle, .closed: state = .closed
        }
        closeConnection()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .awaitingHead = state, error is IOError {
            fail(.closedBeforeAnswer)
        } else {
            fail(.broken("\(error)"))
        }
    }

    /// The caller of the exchange waiting on `promise` was cancelled: if that exchange is still
    /// before its body stream, the connection closes (and the upstream sees the client leave).
    func abandon(_ promise: EventLoopPromise<UpstreamAnswer>) {
        switch state {
        case .awaitingHead(let current), .collecting(let current, _, _):
            if current.futureResult === promise.futureResult { fail(.broken("the client went away")) }
        default:
            break
        }
    }

    /// The consumer wants more of exchange `exchange`'s body.
    fileprivate func resumeReading(_ exchange: UInt64) {
        guard exchange == exchangeID, !shouldRead else { return }
        shouldRead = true
        // The wait was the consumer's, not the upstream's: the stall clock starts again.
        lastRead = .now()
        if pendingRead, let context {
            pendingRead = false
            context.read()
        }
    }

    /// The consumer of exchange `exchange`'s body is gone: if the answer is still coming, the
    /// connection closes (and the upstream sees the client leave).
    fileprivate func consumerGone(_ exchange: UInt64) {
        guard exchange == exchangeID, case .streaming(let source) = state else { return }
        state = .closed
        source.finish()
        cancelTimer()
        closeConnection()
    }

    /// The client of exchange `exchange` left while its answer was still coming: the stream
    /// fails (the client must not see a cut answer end cleanly) and the connection closes.
    fileprivate func clientGone(_ exchange: UInt64) {
        guard exchange == exchangeID, case .streaming = state else { return }
        fail(.broken("the client went away"))
    }

    private func finishExchange(context: ChannelHandlerContext) {
        cancelTimer()
        if !shouldRead {
            shouldRead = true
            if pendingRead {
                pendingRead = false
                context.read()
            }
        }
        if keepAlive, context.channel.isActive, let onReusable {
            onReusable()
        } else {
            state = .closed
            closeConnection()
        }
    }

    /// Fails whatever exchange is in progress and closes the connection (never reused after).
    /// The close comes first, so the pool has counted the connection out before the caller
    /// hears of the failure.
    private func fail(_ failure: UpstreamFailure) {
        let previous = state
        state = .closed
        cancelTimer()
        closeConnection()
        switch previous {
        case .awaitingHead(let promise), .collecting(let promise, _, _): promise.fail(failure)
        case .streaming(let source): source.finish(failure)
        case .idle, .closed: break
        }
    }

    /// Closes the connection for good; the callbacks go, which also ends the cycle connection →
    /// handler → callback.
    private func closeConnection() {
        onClosing?()
        onClosing = nil
        onReusable = nil
        context?.close(promise: nil)
    }

    private func armStallTimer(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: lastRead + Self.stallTimeout) { [self] in
            guard case .streaming = state, let context = self.context else { return }
            // While the consumer holds reading back, a slow client is not a stalled upstream.
            if shouldRead && NIODeadline.now() - lastRead >= Self.stallTimeout {
                fail(.timeout)
            } else {
                if !shouldRead { lastRead = .now() }
                armStallTimer(context: context)
            }
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }

    /// The body stream's demand and end, carried back to the connection's event loop.
    struct BodyDelegate: NIOAsyncSequenceProducerDelegate {
        let handler: NIOLoopBound<UpstreamExchangeHandler>
        let exchange: UInt64

        func produceMore() {
            handler.eventLoop.execute { [handler, exchange] in handler.value.resumeReading(exchange) }
        }

        func didTerminate() {
            handler.eventLoop.execute { [handler, exchange] in handler.value.consumerGone(exchange) }
        }
    }
}
