import AsyncHTTPClient
import CairnAuthKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import HummingbirdWSClient
import Logging
import NIOCore
import ServiceKit

/// An upgrade the edge let through: who asks (forwarded as for HTTP), the rate decision, and
/// the headers of the `101` (the selected subprotocol, the rate-limit headers).
struct SocketAdmission: Sendable {
    var edge: EdgeAdmission
    var credential: EdgeCredential
    var requestID: String
    var upgradeHeaders: HTTPFields
}

/// The edge's verdict on an upgrade.
enum SocketVerdict: Sendable {
    case admitted(SocketAdmission)
    case refused(EdgeRefusal)
}

/// The chat orchestrator's WebSockets through the gateway (README "WebSocket"). The upgrade
/// passes the edge like `POST /v1/chat`: identity (headers, or the `cairn.bearer.<token>`
/// subprotocol), one chat rate-limit token, `messages` quota; for a conversation's socket the
/// orchestrator's `GET /v1/conversations/{id}` must succeed for the caller (404 for another
/// tenant's conversation). Only then is the client upgraded and the
/// orchestrator's socket opened with the caller's forwarded credential; messages are piped both
/// ways, each client message taking another chat token and a quota check (a refusal is an
/// `error` frame, and that message does not go on). Either side closing closes the other.
struct SocketProxy: Sendable {
    static let maxFrameBytes = 1 << 20
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    let edge: GatewayEdge
    let http: HTTPClient
    /// The orchestrator's base URL (`http://host:port`).
    let orchestrator: String
    let handoff = UpgradeHandoff()

    /// The WebSocket router's routes: deciding the upgrade, then serving the socket.
    /// HummingbirdWebSocket 2.8.1 answers every refused upgrade itself with an empty 400 and
    /// closes the connection (its status and body cannot be chosen), so the refusal's reason is
    /// logged here, and the client learns only that it was not upgraded.
    func addSocketRoutes(_ routes: [PublicRoute], to sockets: Router<GatewayRequestContext>) {
        for route in routes {
            sockets.ws(RouterPath(route.path), shouldUpgrade: { request, context in
                switch await admit(request, context: context, route: route) {
                case .admitted(let admission):
                    handoff.put(admission, for: context.channel)
                    return .upgrade(admission.upgradeHeaders)
                case .refused(let refusal):
                    context.logger.info("socket upgrade refused", metadata: [
                        "code": "\(refusal.error.code)", "status": "\(refusal.error.status.code)", "route": "\(route.path)",
                    ])
                    return .dontUpgrade
                }
            }, onUpgrade: { inbound, outbound, context in
                try await serve(inbound, outbound, context: context, route: route)
            })
        }
    }

    /// The HTTP router's routes for the same paths: 426 for a request that asks for no upgrade.
    func addPlainRoutes(_ routes: [PublicRoute], to router: Router<GatewayRequestContext>) {
        for route in routes {
            router.get(RouterPath(route.path)) { _, context in
                APIError(.init(code: 426, reasonPhrase: "Upgrade Required"), code: "UPGRADE_REQUIRED",
                         message: "this route only answers a WebSocket upgrade").response(requestID: context.requestID)
            }
        }
    }

    /// The edge's decision on an upgrade.
    func admit(_ request: Request, context: GatewayRequestContext, route: PublicRoute) async -> SocketVerdict {
        var context = context
        let subprotocols: SocketSubprotocols
        let headers: HTTPFields
        do {
            subprotocols = try SocketSubprotocols(request.headers)
            headers = try subprotocols.authenticationHeaders(request.headers)
        } catch {
            return .refused(await edge.authenticationRefusal(error, client: edge.clientAddress(request, context: context)))
        }
        let admission: EdgeAdmission
        switch await edge.admit(request, headers: headers, context: &context, route: route) {
        case .refused(let refusal): return .refused(refusal)
        case .admitted(let admitted): admission = admitted
        }
        guard let credential = admission.credential else {
            return .refused(EdgeRefusal(error: APIError.from(AuthenticationError("no credentials")), decision: admission.decision))
        }
        if let refusal = await conversationRefusal(request, admission: admission, credential: credential, context: context) {
            return .refused(refusal)
        }
        var upgrade = HTTPFields()
        if let selected = subprotocols.selected { upgrade[SocketSubprotocols.header] = selected }
        RateLimitHeaders.apply(admission.decision, to: &upgrade)
        return .admitted(SocketAdmission(edge: admission, credential: credential, requestID: context.requestID, upgradeHeaders: upgrade))
    }

    /// For `/v1/conversations/{id}/ws`: the orchestrator's refusal of `GET /v1/conversations/{id}`
    /// to this caller, if it refuses (its socket would refuse too, but only after the client's
    /// upgrade, and a refused upgrade does not say why).
    private func conversationRefusal(
        _ request: Request, admission: EdgeAdmission, credential: EdgeCredential, context: GatewayRequestContext
    ) async -> EdgeRefusal? {
        let path = request.uri.path
        guard path.hasPrefix("/v1/conversations/"), path.hasSuffix("/ws") else { return nil }
        var check = HTTPClientRequest(url: orchestrator + String(path.dropLast(3)) + (request.uri.query.map { "?" + $0 } ?? ""))
        check.headers.add(name: "Authorization", value: credential.forwardAuthorization)
        check.headers.add(name: "X-Forwarded-For", value: admission.client)
        check.headers.add(name: "X-Request-ID", value: context.requestID)
        do {
            let answer = try await http.execute(check, timeout: .seconds(10), logger: context.logger)
            let body = try await answer.body.collect(upTo: 1 << 20)
            guard answer.status.code != 200 else { return nil }
            let status = HTTPResponse.Status(code: Int(answer.status.code), reasonPhrase: answer.status.reasonPhrase)
            let error = (try? JSONDecoder().decode(ErrorBody.self, from: Data(body.readableBytesView))).map {
                APIError(status, code: $0.error.code, message: $0.error.message, details: $0.error.details ?? [:])
            } ?? APIError(status.code >= 500 ? .badGateway : status, code: "UPSTREAM_ERROR", message: "the chat-orchestrator refused the socket")
            return EdgeRefusal(error: error, decision: admission.decision)
        } catch {
            return edge.refusal(UpstreamProxy.upstreamError(error, upstream: .chatOrchestrator, logger: context.logger), decision: admission.decision, context: context)
        }
    }

    /// Opens the orchestrator's socket for the admitted caller and pipes messages both ways
    /// until either side closes.
    private func serve(
        _ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, context: WebSocketRouterContext<GatewayRequestContext>,
        route: PublicRoute
    ) async throws {
        let logger = context.logger
        guard let admission = handoff.take(for: context.requestContext.channel) else {
            try await outbound.close(.unexpectedServerError, reason: nil)
            return
        }
        // The admission holds the tenant's in-flight place for the socket's life.
        defer { withExtendedLifetime(admission) {} }
        var headers = HTTPFields()
        headers[.authorization] = admission.credential.forwardAuthorization
        headers[Self.forwardedFor] = admission.edge.client
        headers[.requestID] = admission.requestID
        let request = context.request
        let url = "ws" + orchestrator.dropFirst(4) + request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        do {
            try await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: Self.maxFrameBytes, additionalHeaders: headers), logger: logger
            ) { upstreamInbound, upstreamOutbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: Self.maxFrameBytes) {
                            if let refusal = await askRefusal(admission, route: route) {
                                try await outbound.write(.text(refusal))
                                continue
                            }
                            try await upstreamOutbound.write(Self.frame(message))
                        }
                    }
                    group.addTask {
                        for try await message in upstreamInbound.messages(maxSize: Self.maxFrameBytes) {
                            try await outbound.write(Self.frame(message))
                        }
                    }
                    // Whichever side ends first ends the other: the client's close closes the
                    // orchestrator's socket (which cancels the answer in progress), and back.
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch {
            logger.warning("chat socket to the orchestrator failed", metadata: ["error": "\(error)"])
            try? await outbound.close(.unexpectedServerError, reason: "the chat service is unavailable")
        }
    }

    /// Each client message is an ask and passes the edge like `POST /v1/chat`: a chat token and
    /// `messages` quota. The refusal's `error` frame, in the orchestrator's frame shape.
    private func askRefusal(_ admission: SocketAdmission, route: PublicRoute) async -> String? {
        let decision = await edge.rateDecision(route: route, credential: admission.credential, client: admission.edge.client)
        do {
            guard decision.allowed else { throw RateLimitHeaders.refusal(decision) }
            try await edge.checkQuota(route: route, credential: admission.credential)
            return nil
        } catch {
            let error = APIError.from(error)
            let frame: [String: Any] = ["event": "error", "data": ["error": ["code": error.code, "message": error.message, "request_id": admission.requestID]]]
            return String(decoding: (try? JSONSerialization.data(withJSONObject: frame, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        }
    }

    static func frame(_ message: WebSocketMessage) -> WebSocketOutboundWriter.OutboundFrame {
        switch message {
        case .text(let text): .text(text)
        case .binary(let bytes): .binary(bytes)
        }
    }
}
