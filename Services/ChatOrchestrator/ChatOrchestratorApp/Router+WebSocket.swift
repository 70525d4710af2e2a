import CairnAuthKit
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceKit

/// The request state of a WebSocket upgrade: the kit's, the caller's verified identity, and
/// the socket handler the router hands the connection to.
public struct ChatWebSocketContext: AuthenticatedRequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""
    public var bodyLimit: Int = 1 << 16
    public var identity: Identity?
    public let webSocket: WebSocketHandlerReference<Self>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
    }
}

/// Where a WebSocket answer's events go: one JSON text frame each, `{"event": name, "data": …}`.
struct ChatEventSink: Sendable {
    let send: @Sendable (String, any Encodable & Sendable) async throws -> Void
}

/// `GET /v1/conversations/{id}/ws` and `GET /v1/chat/ws` (a new conversation per ask): the
/// SSE stream's events over a WebSocket. After the upgrade (authenticated like every route,
/// `Authorization: Bearer`; the gateway supplies it) the client sends
/// `{"type": "ask", "content": …}` with the fields of the `POST` body and receives
/// `{"event": "sources" | "delta" | "done" | "error", "data": …}` frames, one ask at a time.
/// Closing the socket cancels the answer in progress exactly like an SSE disconnect (the
/// partial answer is kept, marked interrupted).
extension ChatOrchestratorAPI {
    struct Ask: Decodable {
        var type: String
    }

    /// The frame the server sends.
    private struct Frame<Data: Encodable>: Encodable {
        var event: String
        var data: Data
    }

    static let maxFrameBytes = 1 << 20

    func addWebSocketRoutes(to router: Router<ChatWebSocketContext>) {
        router.add(middleware: RequestIDMiddleware<ChatWebSocketContext>())
        router.add(middleware: ErrorMiddleware<ChatWebSocketContext>())
        router.add(middleware: AuthenticationMiddleware<ChatWebSocketContext>(verifier: verifier))
        router.ws("/v1/conversations/{id}/ws", shouldUpgrade: { request, context in
            let (identity, tenant) = try webSocketCaller(request, context)
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw ChatError.notFound }
            _ = try await conversation(id, tenant: tenant, user: identity.subject)
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, context in
            try await serve(inbound, outbound, context, conversationID: context.requestContext.parameters.get("id").flatMap(UUID.init(uuidString:)))
        })
        router.ws("/v1/chat/ws", shouldUpgrade: { request, context in
            _ = try webSocketCaller(request, context)
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, context in
            try await serve(inbound, outbound, context, conversationID: nil)
        })
    }

    /// The close code of a socket that outlived its credential (4000–4999: the application's).
    static let reconnectCloseCode: UInt16 = 4001

    private func webSocketCaller(_ request: Request, _ context: ChatWebSocketContext) throws -> (Identity, UUID) {
        let identity = try context.requireIdentity()
        let tenant = try actingTenant(identity, "chat:create", named: request.uri.queryParameters["tenant_id"].map(String.init))
        return (identity, tenant)
    }

    /// Reads asks until the client closes; answers them one at a time. The reader runs beside
    /// the answer, so a close is seen at once and cancels the answer in progress.
    private func serve(
        _ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, _ context: WebSocketRouterContext<ChatWebSocketContext>,
        conversationID: UUID?
    ) async throws {
        let request = context.request
        let (identity, tenant) = try webSocketCaller(request, context.requestContext)
        let requestID = context.requestContext.requestID
        let sink = ChatEventSink { name, value in
            let frame = try Self.encoder.encode(Frame(event: name, data: AnyEncodable(value)))
            try await outbound.write(.text(String(decoding: frame, as: UTF8.self)))
        }
        let (asks, continuation) = AsyncStream.makeStream(of: String.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [lifetime = settings.webSocketLifetime] in
                try await Task.sleep(for: lifetime)
                try await outbound.close(.unknown(Self.reconnectCloseCode), reason: "the socket's credential has expired: reconnect")
            }
            group.addTask {
                for await text in asks {
                    await ask(text, conversationID: conversationID, identity: identity, tenant: tenant, request: request, requestID: requestID, sink: sink)
                }
            }
            for try await message in inbound.messages(maxSize: Self.maxFrameBytes) {
                guard case .text(let text) = message else {
                    try? await sink.send("error", Self.errorFrame(ChatError.invalid("send asks as JSON text frames"), requestID: requestID))
                    continue
                }
                continuation.yield(text)
            }
            // The client closed: stop the answer in progress (it is kept, marked interrupted).
            continuation.finish()
            group.cancelAll()
        }
    }

    /// Answers one ask; its problems (a bad ask, an unknown conversation) are `error` events.
    private func ask(
        _ text: String, conversationID: UUID?, identity: Identity, tenant: UUID, request: Request, requestID: String, sink: ChatEventSink
    ) async {
        do {
            let data = Data(text.utf8)
            guard (try? Self.decoder.decode(Ask.self, from: data))?.type == "ask" else {
                throw ChatError.invalid("a message must be {\"type\": \"ask\", \"content\": …}")
            }
            let body: MessageBody
            do { body = try Self.decoder.decode(MessageBody.self, from: data) } catch let error as ChatError { throw error } catch {
                throw ChatError.invalid("the ask is not valid: \(error)")
            }
            let target: Target = if let conversationID {
                .existing(try await conversation(conversationID, tenant: tenant, user: identity.subject))
            } else {
                .new(assistantID: body.assistantID)
            }
            _ = try await answer(body, in: target, identity: identity, tenant: tenant, request: request, requestID: requestID, delivery: .events(sink))
        } catch {
            try? await sink.send("error", Self.errorFrame(error, requestID: requestID))
        }
    }

    private static func errorFrame(_ error: any Error, requestID: String) -> [String: [String: String]] {
        let api = APIError.from(error)
        return ["error": ["code": api.code, "message": api.message, "request_id": requestID]]
    }
}

/// An encodable of any type, for the frame's `data`.
private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
