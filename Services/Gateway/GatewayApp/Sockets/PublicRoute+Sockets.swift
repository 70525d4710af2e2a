/// The chat orchestrator's WebSocket upgrades (README "WebSocket"). Not in ``PublicRoute/all``
/// nor `openapi.yaml`: OpenAPI cannot describe a frame protocol, and a `GET` without an upgrade
/// only answers 426. Opening a socket counts like `POST /v1/chat`.
extension PublicRoute {
    static let sockets: [PublicRoute] = [
        .init(method: .get, path: "/v1/chat/ws", upstream: .chatOrchestrator, routeClass: .chat, quota: .messages),
        .init(method: .get, path: "/v1/conversations/{id}/ws", upstream: .chatOrchestrator, routeClass: .chat, quota: .messages),
    ]
}
