import CairnTesting
import Foundation
@testable import GatewayApp
import HTTPTypes
import Hummingbird
import HummingbirdWSClient
import Logging
import Synchronization
import Testing

extension GatewayTestSuite {
    /// The chat orchestrator's WebSockets through the gateway, to a stand-in orchestrator over
    /// real sockets (auth real, Redis real).
    @Suite("Gateway: WebSocket proxy", .serialized)
    struct WebSocketProxyTests {
        static let logger = Logger(label: "gateway-ws-test")
        static let subprotocol = HTTPField.Name("Sec-WebSocket-Protocol")!

        /// The gateway in front of a fresh stand-in orchestrator.
        static func run(
            overrides: [String: String] = [:], _ body: @escaping @Sendable (GatewayHarness, TestChatOrchestrator) async throws -> Void
        ) async throws {
            let orchestrator = TestChatOrchestrator()
            try await orchestrator.application().test(.live) { client in
                let url = "http://127.0.0.1:\(try #require(client.port))"
                try await GatewayHarness.run(overrides: overrides.merging(["CAIRN_CHAT_ORCHESTRATOR_URL": url]) { $1 }) { gateway in
                    try await body(gateway, orchestrator)
                }
            }
        }

        /// Asks `questions` one after the other over one socket; the frames received, as
        /// (event, data), until each answer's `done` or `error`.
        static func ask(
            _ gateway: GatewayHarness, _ path: String, headers: HTTPFields, _ questions: [String]
        ) async throws -> [(event: String, data: [String: Any])] {
            let frames = Mutex<[String]>([])
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(gateway.gatewayPort)\(path)", configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: headers),
                logger: logger
            ) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                for question in questions {
                    try await outbound.write(.text(#"{"type":"ask","content":"\#(question)"}"#))
                    while let message = try await messages.next() {
                        guard case .text(let text) = message else { continue }
                        frames.withLock { $0.append(text) }
                        if ["done", "error"].contains(frame(text).event) { break }
                    }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            return frames.withLock { $0 }.map(frame)
        }

        static func frame(_ text: String) -> (event: String, data: [String: Any]) {
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return (object["event"] as? String ?? "", object["data"] as? [String: Any] ?? [:])
        }

        /// Whether an upgrade with `headers` is refused (HummingbirdWebSocket 2.8.1 answers every
        /// refused upgrade with an empty 400 and closes; the client library reports it as such).
        static func isRefused(_ gateway: GatewayHarness, _ path: String, headers: HTTPFields = [:]) async -> Bool {
            do {
                try await WebSocketClient.connect(
                    url: "ws://127.0.0.1:\(gateway.gatewayPort)\(path)", configuration: .init(additionalHeaders: headers), logger: logger
                ) { _, _, _ in }
                return false
            } catch {
                return (error as? WebSocketClientError) == .webSocketUpgradeFailed
            }
        }

        @Test("an ask over the gateway's socket gets the orchestrator's sources, deltas and done; the caller is forwarded as for HTTP")
        func askThroughTheGateway() async throws {
            try await Self.run { gateway, orchestrator in
                let (token, _) = try await gateway.register()
                let events = try await Self.ask(gateway, "/v1/chat/ws", headers: [.authorization: "Bearer \(token)"], ["refunds take thirty days", "and then?"])
                let names = events.map(\.event)
                #expect(names == ["sources", "delta", "delta", "delta", "delta", "done", "sources", "delta", "delta", "done"], "\(names)")
                let text = events.prefix(6).filter { $0.event == "delta" }.compactMap { $0.data["text"] as? String }.joined()
                #expect(text == "refunds take thirty days ")
                let seen = try #require(orchestrator.upgrades.last)
                #expect(seen.authorization == "Bearer \(token)")
                #expect(seen.forwardedFor == "127.0.0.1")
                #expect(seen.requestID?.isEmpty == false)
                #expect(seen.subprotocol == nil, "the client's subprotocols (and any token in them) stay at the edge")
                // The client closed: the orchestrator's socket is closed too.
                #expect(await eventually(within: .seconds(10), every: .milliseconds(20)) { orchestrator.closedCount == 1 })

                // A browser's way: the token as a subprotocol beside cairn.v1.
                let browser = try await Self.ask(gateway, "/v1/chat/ws", headers: [Self.subprotocol: "cairn.v1, cairn.bearer.\(token)"], ["hello there"])
                #expect(browser.map(\.event) == ["sources", "delta", "delta", "done"], "\(browser.map(\.event))")
                #expect(orchestrator.upgrades.last?.authorization == "Bearer \(token)")

                // An API key: the orchestrator gets auth's short-lived token for it, never the key.
                let (key, _) = try await gateway.apiKey(token: token)
                let keyed = try await Self.ask(gateway, "/v1/chat/ws", headers: [.init("X-API-Key")!: key], ["hi"])
                #expect(keyed.map(\.event) == ["sources", "delta", "done"])
                let forwarded = try #require(orchestrator.upgrades.last?.authorization)
                #expect(forwarded.hasPrefix("Bearer ") && !forwarded.contains(key) && forwarded != "Bearer \(token)")
                #expect(orchestrator.upgrades.count == 3)
            }
        }

        @Test("no credential, a bad token in the subprotocol, no cairn.v1, a token twice: not upgraded, never reaching the orchestrator")
        func refusedUpgrades() async throws {
            try await Self.run { gateway, orchestrator in
                let (token, _) = try await gateway.register()
                #expect(await Self.isRefused(gateway, "/v1/chat/ws"))
                #expect(await Self.isRefused(gateway, "/v1/chat/ws", headers: [.authorization: "Bearer not-a-token"]))
                #expect(await Self.isRefused(gateway, "/v1/chat/ws", headers: [Self.subprotocol: "cairn.v1, cairn.bearer.not-a-token"]))
                #expect(await Self.isRefused(gateway, "/v1/chat/ws", headers: [Self.subprotocol: "cairn.bearer.\(token)"]))
                #expect(await Self.isRefused(gateway, "/v1/chat/ws", headers: [Self.subprotocol: "cairn.v1, cairn.bearer.\(token)", .authorization: "Bearer \(token)"]))
                #expect(orchestrator.upgrades.isEmpty)
                // The same token in its place is upgraded: the refusals above were the credential's.
                #expect(await !Self.isRefused(gateway, "/v1/chat/ws", headers: [Self.subprotocol: "cairn.v1, cairn.bearer.\(token)"]))
                #expect(orchestrator.upgrades.count == 1)
                // A plain GET is not a socket.
                let plain = try await gateway.call(.get, "/v1/chat/ws", token: token)
                #expect(plain.status.code == 426 && plain.errorCode == "UPGRADE_REQUIRED", "\(plain.status) \(plain.text)")
            }
        }

        @Test("another tenant's conversation: refused (the orchestrator's GET says 404) before the client is upgraded")
        func foreignConversation() async throws {
            try await Self.run { gateway, orchestrator in
                let (owner, _) = try await gateway.register()
                let (stranger, _) = try await gateway.register()
                let conversation = UUID().uuidString.lowercased()
                orchestrator.own(conversation, authorization: "Bearer \(owner)")
                let path = "/v1/conversations/\(conversation)/ws"

                #expect(await Self.isRefused(gateway, path, headers: [.authorization: "Bearer \(stranger)"]))
                #expect(orchestrator.upgrades.isEmpty)
                let events = try await Self.ask(gateway, path, headers: [.authorization: "Bearer \(owner)"], ["mine"])
                #expect(events.map(\.event) == ["sources", "delta", "done"])
                #expect(orchestrator.upgrades.map(\.path) == [path])
            }
        }

        @Test("the upgrade and each ask take a chat token: an ask over the limit is an error frame, an upgrade over it refused")
        func rateLimited() async throws {
            let limits = "general=100/100/1000,chat=2/2/100,search=60/60/600"
            try await Self.run(overrides: ["CAIRN_GATEWAY_FALLBACK_RATE_LIMITS": limits]) { gateway, orchestrator in
                let (token, _) = try await gateway.register()
                // The upgrade takes the first token, the first ask the second; the second ask is refused on the socket.
                let events = try await Self.ask(gateway, "/v1/chat/ws", headers: [.authorization: "Bearer \(token)"], ["one", "two"])
                #expect(events.map(\.event) == ["sources", "delta", "done", "error"], "\(events.map(\.event))")
                let error = events.last?.data["error"] as? [String: Any]
                #expect(error?["code"] as? String == "RATE_LIMITED", "\(String(describing: error))")

                #expect(await Self.isRefused(gateway, "/v1/chat/ws", headers: [.authorization: "Bearer \(token)"]))
                // The same limit over HTTP says why.
                let http = try await gateway.call(.post, "/v1/chat", json: ["content": "three"], token: token)
                #expect(http.status == .tooManyRequests && http.errorCode == "RATE_LIMITED", "\(http.text)")
                #expect(orchestrator.upgrades.count == 1, "the refused upgrade never reached the orchestrator")
            }
        }
    }
}
