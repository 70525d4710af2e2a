import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceKit

/// Forwards a request to its upstream over the pooled client and streams the answer back
/// chunk by chunk (SSE included): nothing is buffered on the way out, and a client that goes
/// away ends the upstream request. Upstream trouble becomes 502/503/504 in the error shape.
struct UpstreamProxy: Sendable {
    /// Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1), plus the
    /// ones the gateway sets itself.
    static let dropped: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length", "expect", "authorization", "x-api-key",
        "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-real-ip", "x-request-id", "forwarded",
    ]

    let http: HTTPClient
    let bases: [Upstream: String]
    /// Keep-alive connections per upstream, for every `http://host:port` base.
    let pools: [Upstream: UpstreamConnectionPool]

    init(http: HTTPClient, bases: [Upstream: String]) {
        self.http = http
        self.bases = bases
        pools = bases.compactMapValues { UpstreamConnectionPool(base: $0) }
    }

    struct Forwarded {
        var authorization: String?
        var clientAddress: String
        var requestID: String
        var bodyLimit: Int
        /// The tenant's in-flight place, held until the answer is written (or dropped).
        var slot: InFlightSlot?
        /// The client's connection, watched while a streamed answer is relayed.
        var clientChannel: any Channel
    }

    /// Calls `gone` within a second of the client leaving while a streamed answer waits on its
    /// upstream: Hummingbird notices a client that left only at its next write, and an SSE stream
    /// may be quiet for minutes, holding its upstream connection and in-flight place. A client
    /// that sent its FIN counts as gone, as nginx's `proxy_ignore_client_abort off` has it.
    static func watch(_ client: any Channel, whileStreaming gone: @escaping @Sendable () -> Void) -> RepeatedTask {
        client.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { task in
            clientLeft(client).whenSuccess { left in
                guard left else { return }
                task.cancel()
                gone()
            }
        }
    }

    /// Whether the client's connection is closed, or half-closed by the client (Hummingbird
    /// allows half-closure, so the channel stays active; the kernel's TCP state tells).
    static func clientLeft(_ client: any Channel) -> EventLoopFuture<Bool> {
        guard client.isActive else { return client.eventLoop.makeSucceededFuture(true) }
        #if os(Linux)
        guard let socket = client as? any SocketOptionProvider else { return client.eventLoop.makeSucceededFuture(false) }
        return socket.getTCPInfo().map { Int($0.tcpi_state) == TCP_CLOSE_WAIT }.recover { _ in true }
        #else
        return client.eventLoop.makeSucceededFuture(false)
        #endif
    }

    func forward(_ request: Request, route: PublicRoute, forwarded: Forwarded, logger: Logger) async throws -> Response {
        if route.body == .standard, let pool = pools[route.upstream] {
            return try await forwardPooled(request, route: route, forwarded: forwarded, pool: pool, logger: logger)
        }
        return try await forwardStreaming(request, route: route, forwarded: forwarded, logger: logger)
    }

    /// A standard request (its body collected within the limit) over the gateway's own
    /// keep-alive connections; the answer streams back as it comes.
    private func forwardPooled(
        _ request: Request, route: PublicRoute, forwarded: Forwarded, pool: UpstreamConnectionPool, logger: Logger
    ) async throws -> Response {
        let body = try await standardBody(of: request, limit: forwarded.bodyLimit)
        var headers = outboundHeaders(request, forwarded: forwarded)
        headers.add(name: "Host", value: pool.authority)
        if let body { headers.add(name: "Content-Length", value: String(body.readableBytes)) }
        let head = HTTPRequestHead(
            version: .http1_1, method: HTTPMethod(rawValue: request.method.rawValue), uri: Self.target(request), headers: headers
        )
        let answer: UpstreamAnswer
        do {
            answer = try await pool.send(head, body: body, headTimeout: TimeAmount(route.timeout))
        } catch {
            throw Self.upstreamError(error, upstream: route.upstream, logger: logger)
        }
        let status = HTTPResponse.Status(code: Int(answer.head.status.code), reasonPhrase: answer.head.status.reasonPhrase)
        let fields = Self.answerFields(answer.head.headers.map { ($0.name, $0.value) })
        guard let rest = answer.rest else {
            var whole = answer.firstParts.first ?? ByteBuffer()
            for var part in answer.firstParts.dropFirst() { whole.writeBuffer(&part) }
            return Response(status: status, headers: fields, body: .init(byteBuffer: whole))
        }
        let first = answer.firstParts
        let slot = forwarded.slot
        let client = forwarded.clientChannel
        return Response(status: status, headers: fields, body: ResponseBody { writer in
            let watch = Self.watch(client, whileStreaming: answer.abandon)
            defer {
                watch.cancel()
                withExtendedLifetime(slot) {}
            }
            for part in first { try await writer.write(part) }
            for try await part in rest { try await writer.write(part) }
            try await writer.finish(nil)
        })
    }

    /// Uploads (their bodies streamed through with back-pressure) and upstreams the pool does
    /// not serve (https), over AsyncHTTPClient.
    private func forwardStreaming(_ request: Request, route: PublicRoute, forwarded: Forwarded, logger: Logger) async throws -> Response {
        let base = bases[route.upstream]!
        var outbound = HTTPClientRequest(url: base + Self.target(request))
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        outbound.headers = outboundHeaders(request, forwarded: forwarded)
        // An upload streams the client's body to the upstream while the upstream may already
        // answer; the gate ends that reading before the answer is done (see `RequestBodyGate`).
        let gate = RequestBodyGate()
        outbound.body = try await body(of: request, route: route, limit: forwarded.bodyLimit, gate: gate)

        let answer: HTTPClientResponse
        do {
            answer = try await execute(outbound, gate: gate, timeout: route.timeout, logger: logger)
        } catch {
            await gate.close()
            throw Self.upstreamError(error, upstream: route.upstream, logger: logger)
        }
        let status = HTTPResponse.Status(code: Int(answer.status.code), reasonPhrase: answer.status.reasonPhrase)
        let slot = forwarded.slot
        return Response(status: status, headers: Self.answerFields(answer.headers.map { ($0.name, $0.value) }), body: ResponseBody { writer in
            defer { withExtendedLifetime(slot) {} }
            do {
                try await writer.write(answer.body)
            } catch {
                await gate.close()
                throw error
            }
            await gate.close()
            try await writer.finish(nil)
        })
    }

    /// How long an upload's body may take to arrive (50 MB at about 0.7 Mbit/s); the
    /// operation's own timeout starts once it has.
    static let uploadDeadline: Duration = .seconds(600)

    /// The exchange, with the operation's timeout counted from the end of the request body, so
    /// a large upload over a slow link is not a 504 (the body itself has ``uploadDeadline``).
    private func execute(_ outbound: HTTPClientRequest, gate: RequestBodyGate, timeout: Duration, logger: Logger) async throws -> HTTPClientResponse {
        try await withThrowingTaskGroup(of: HTTPClientResponse.self) { [http] group in
            group.addTask { try await http.execute(outbound, timeout: TimeAmount(Self.uploadDeadline + timeout), logger: logger) }
            group.addTask {
                await gate.untilBodyEnded()
                try await Task.sleep(for: timeout)
                throw UpstreamFailure.timeout
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// The request target upstream: the path and query the client asked for.
    static func target(_ request: Request) -> String {
        request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
    }

    /// The client's headers that cross the gateway, and what the gateway adds to every forwarded
    /// request: the credential it forwards, the client address and the request id.
    private func outboundHeaders(_ request: Request, forwarded: Forwarded) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 5)
        let named = Self.connectionTokens(request.headers[values: .connection])
        for field in request.headers where Self.forwards(field.name.canonicalName, named: named) {
            headers.add(name: field.name.rawName, value: field.value)
        }
        if let authorization = forwarded.authorization { headers.add(name: "Authorization", value: authorization) }
        headers.add(name: "X-Forwarded-For", value: forwarded.clientAddress)
        headers.add(name: "X-Request-ID", value: forwarded.requestID)
        return headers
    }

    /// The answer's headers that go back to the client: not hop-by-hop, but its length.
    static func answerFields(_ answer: [(name: String, value: String)]) -> HTTPFields {
        var fields = HTTPFields()
        let named = connectionTokens(answer.filter { $0.name.lowercased() == "connection" }.map(\.value))
        for (name, value) in answer {
            let lowered = name.lowercased()
            guard forwards(lowered, named: named) || lowered == "content-length", let fieldName = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }

    /// Whether a header crosses the gateway: not hop-by-hop, not named in `Connection`, not one
    /// the gateway sets itself, no `X-Forwarded-*` a client made up.
    static func forwards(_ name: String, named: Set<String>) -> Bool {
        !dropped.contains(name) && !named.contains(name) && !name.hasPrefix("x-forwarded-")
    }

    /// The header names a `Connection` header lists (they are hop-by-hop too).
    static func connectionTokens(_ values: [String]) -> Set<String> {
        Set(values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }

    /// How long a client has to send a standard body; then 408.
    static let bodyDeadline: Duration = .seconds(30)

    /// Standard bodies are collected within the limit (exact 413s, and a slow client never
    /// holds an upstream connection); uploads stream through a counting guard.
    private func body(of request: Request, route: PublicRoute, limit: Int, gate: RequestBodyGate) async throws -> HTTPClientRequest.Body? {
        switch route.body {
        case .standard:
            defer { gate.bodyEnded() }
            return try await standardBody(of: request, limit: limit).map { .bytes($0) }
        case .upload:
            let length = request.headers[.contentLength].flatMap(Int.init)
            if let length, length > limit { throw APIError.payloadTooLarge(limit: limit) }
            if length == 0 { gate.bodyEnded() }
            return .stream(LimitedBody(base: request.body, limit: limit, gate: gate), length: length.map { .known(Int64($0)) } ?? .unknown)
        }
    }

    /// A standard request's body, collected; nil when there is none (no bytes, no length).
    private func standardBody(of request: Request, limit: Int) async throws -> ByteBuffer? {
        let declared = request.headers[.contentLength].flatMap(Int.init)
        if let declared, declared > limit { throw APIError.payloadTooLarge(limit: limit) }
        // Neither a length nor chunks: HTTP/1.1 says there is no body (RFC 9112 §6.3), and
        // there is nothing to wait for.
        if request.headers[.contentLength] == nil && request.headers[.transferEncoding] == nil { return nil }
        if declared == 0 { return ByteBuffer() }
        let collected = try await Self.collect(request.body, limit: limit)
        return collected.readableBytes == 0 && request.headers[.contentLength] == nil ? nil : collected
    }

    /// The body within `limit` bytes and ``bodyDeadline``: a slow client never holds an
    /// upstream connection, nor a handler for long.
    static func collect(_ body: RequestBody, limit: Int) async throws -> ByteBuffer {
        do {
            return try await withTimeout(bodyDeadline) { try await body.collect(upTo: limit) }
        } catch is TimeoutError {
            throw APIError(.requestTimeout, code: "REQUEST_TIMEOUT", message: "the request body did not arrive in time")
        } catch {
            throw APIError.payloadTooLarge(limit: limit)
        }
    }

    static func upstreamError(_ error: any Error, upstream: Upstream, logger: Logger) -> APIError {
        // The request body's own refusal (an upload over its limit) is the client's error.
        if let error = error as? APIError { return error }
        // A client that went away ended the exchange itself: nothing the upstream did.
        logger.log(level: Task.isCancelled ? .debug : .warning, "upstream failed",
                   metadata: ["upstream": "\(upstream.rawValue)", "error": "\(error)"])
        switch error {
        case UpstreamFailure.timeout:
            return APIError(.gatewayTimeout, code: "UPSTREAM_TIMEOUT", message: "the \(upstream.rawValue) service did not answer in time")
        case UpstreamFailure.unreachable, UpstreamFailure.saturated:
            return unavailable(upstream)
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            return APIError(.gatewayTimeout, code: "UPSTREAM_TIMEOUT", message: "the \(upstream.rawValue) service did not answer in time")
        case let error as HTTPClientError where error == .connectTimeout:
            return unavailable(upstream)
        case is NIOConnectionError, is IOError, is ChannelError:
            return unavailable(upstream)
        default:
            return APIError(.badGateway, code: "BAD_GATEWAY", message: "the \(upstream.rawValue) service failed to answer")
        }
    }

    static func unavailable(_ upstream: Upstream) -> APIError {
        APIError(.serviceUnavailable, code: "UNAVAILABLE", message: "the \(upstream.rawValue) service is unavailable")
    }
}

/// A request body that fails once it grows past `limit` (chunked uploads have no length to
/// check up front), read only while its gate is open.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int
    let gate: RequestBodyGate

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        let gate: RequestBodyGate
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard gate.enter() else { return nil }
            defer { gate.leave() }
            guard let chunk = try await base.next() else {
                gate.bodyEnded()
                return nil
            }
            seen += chunk.readableBytes
            if seen > limit { throw APIError.payloadTooLarge(limit: limit) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit, gate: gate)
    }
}

/// Who may read an upload's request body: the upstream client until the answer is done, then
/// only Hummingbird, which reads the rest of the body to get to the connection's next request.
/// It also tells when the body has been read to its end (the operation's timeout starts then).
///
/// An upstream can answer before it has read the whole upload (a 400 for a malformed form,
/// say). The client's body writer may then still be waiting for the next chunk when
/// Hummingbird starts reading the same body: two readers of one NIO stream, which traps and
/// takes the whole gateway down (schemathesis found it). ``close()`` shuts the gate and waits
/// for a read in progress to return, so the two never overlap.
final class RequestBodyGate: Sendable {
    private struct State {
        var closed = false
        var reading = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = NIOLockedValueBox(State())
    private let end = AsyncStream<Never>.makeStream()

    /// The body has been read to its end.
    func bodyEnded() {
        end.continuation.finish()
    }

    /// Returns once the body has been read to its end, or the caller is cancelled.
    func untilBodyEnded() async {
        for await _ in end.stream {}
    }

    /// Starts a read; false once the gate is closed.
    func enter() -> Bool {
        state.withLockedValue { state in
            guard !state.closed else { return false }
            state.reading = true
            return true
        }
    }

    func leave() {
        let waiter = state.withLockedValue { state in
            state.reading = false
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Closes the gate; returns once no read is in progress.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let wait = state.withLockedValue { state in
                state.closed = true
                if state.reading { state.waiter = continuation }
                return state.reading
            }
            if !wait { continuation.resume() }
        }
    }
}
