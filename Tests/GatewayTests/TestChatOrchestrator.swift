import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import ServiceKit
import Synchronization

/// A stand-in for the chat orchestrator's sockets, speaking its frame protocol: an ask
/// (`{"type": "ask", "content": …}`) is answered with `sources`, one `delta` per word of the
/// content, then `done`; anything else is an `error` frame. It upgrades only a request with a
/// bearer token and, for a conversation, only its owner (the token it was created with), and
/// answers `GET /v1/conversations/{id}` the same way, 404 in the error shape for anyone else.
final class TestChatOrchestrator: Sendable {
    /// What one upgrade forwarded, as the orchestrator saw it.
    struct Upgrade: Sendable {
        var path: String
        var authorization: String?
        var forwardedFor: String?
        var requestID: String?
        var subprotocol: String?
    }

    private let owners = Mutex<[String: String]>([:])
    private let upgradeLog = Mutex<[Upgrade]>([])
    private let closedSockets = Atomic<Int>(0)

    var upgrades: [Upgrade] { upgradeLog.withLock { $0 } }
    /// Sockets whose client side (the gateway) has closed.
    var closedCount: Int { closedSockets.load(ordering: .relaxed) }

    /// A conversation that only `authorization` may open.
    func own(_ conversation: String, authorization: String) {
        owners.withLock { $0[conversation] = authorization }
    }

    private func mayOpen(_ conversation: String?, _ request: Request) -> Bool {
        guard let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") else { return false }
        guard let conversation else { return true }
        return owners.withLock { $0[conversation] } == authorization
    }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.get("/v1/conversations/{id}") { request, context in
            let id = context.parameters.get("id")
            guard self.mayOpen(id, request) else {
                return APIError.notFound("conversation not found").response(requestID: request.headers[.requestID] ?? "")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"id\":\"\(id ?? "")\"}")))
        }
        let sockets = Router(context: BasicWebSocketRequestContext.self)
        for path in ["/v1/chat/ws", "/v1/conversations/{id}/ws"] {
            sockets.ws(RouterPath(path), shouldUpgrade: { request, context in
                guard self.mayOpen(context.parameters.get("id"), request) else { return .dontUpgrade }
                self.upgradeLog.withLock {
                    $0.append(Upgrade(
                        path: request.uri.path, authorization: request.headers[.authorization], forwardedFor: request.headers[.init("X-Forwarded-For")!],
                        requestID: request.headers[.requestID], subprotocol: request.headers[.init("Sec-WebSocket-Protocol")!]
                    ))
                }
                return .upgrade([:])
            }, onUpgrade: { inbound, outbound, _ in
                defer { self.closedSockets.add(1, ordering: .relaxed) }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message,
                          let ask = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                          ask["type"] as? String == "ask", let content = ask["content"] as? String else {
                        try await outbound.write(.text(Self.frame("error", ["error": ["code": "INVALID_REQUEST", "message": "not an ask"]])))
                        continue
                    }
                    try await outbound.write(.text(Self.frame("sources", ["sources": [["title": "fixture"]]])))
                    for word in content.split(separator: " ") {
                        try await outbound.write(.text(Self.frame("delta", ["text": "\(word) "])))
                    }
                    try await outbound.write(.text(Self.frame("done", ["conversation_id": "c-1"])))
                }
            })
        }
        return Application(
            router: router, server: .http1WebSocketUpgrade(webSocketRouter: sockets),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
    }

    static func frame(_ event: String, _ data: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: ["event": event, "data": data]), as: UTF8.self)
    }
}
