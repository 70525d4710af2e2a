import CairnTesting
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import Synchronization
import Testing

/// The WebSocket endpoint: the same events as the SSE stream, and a close cancels upstream.
@Suite struct WebSocketTests {
    static let logger = Logger(label: "ws-test")

    static func configuration(token: String) -> WebSocketClientConfiguration {
        WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: [.authorization: "Bearer \(token)"])
    }

    static func frame(_ text: String) -> (event: String, data: [String: Any]) {
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return (object["event"] as? String ?? "", object["data"] as? [String: Any] ?? [:])
    }

    @Test func anAskReceivesSourcesThenDeltasThenDone() async throws {
        try await ChatHarness.run { harness in
            try await harness.index(Fixtures.passages)
            let token = try await harness.member()
            let frames = Mutex<[String]>([])
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(harness.port)/v1/chat/ws", configuration: Self.configuration(token: token),
                                              logger: Self.logger) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                try await outbound.write(.text(#"{"type":"ask","content":"What is the refund window for annual plans?"}"#))
                while let message = try await messages.next() {
                    guard case .text(let text) = message else { continue }
                    frames.withLock { $0.append(text) }
                    let event = Self.frame(text).event
                    if event == "done" || event == "error" { break }
                }
                // A bad ask on the same socket is an `error` event, not a dropped connection.
                try await outbound.write(.text(#"{"type":"shout"}"#))
                while let message = try await messages.next() {
                    if case .text(let text) = message { frames.withLock { $0.append(text) }; break }
                }
            }
            let events = frames.withLock { $0 }.map(Self.frame)
            let names = events.map(\.event)
            #expect(names.first == "sources", "\(names)")
            #expect(names.dropLast().last == "done", "\(names)")
            #expect(names.dropFirst().dropLast(2).allSatisfy { $0 == "delta" } && names.count >= 4, "\(names)")
            let text = events.filter { $0.event == "delta" }.compactMap { $0.data["text"] as? String }.joined()
            #expect(text.contains("30 days"))
            #expect(events.last?.event == "error" && (events.last?.data["error"] as? [String: Any])?["code"] as? String == "INVALID_REQUEST",
                    "\(String(describing: events.last))")
            // The answer is stored like a streamed one.
            let conversation = try #require(events.first { $0.event == "done" }?.data["conversation_id"] as? String)
            let history = try await harness.call(.get, "/v1/conversations/\(conversation)/messages", token: token)
            #expect((history["messages"] as? [[String: Any]])?.last?["content"] as? String == text)
        }
    }

    @Test func aSocketIsClosedForReconnectionWhenItsLifetimeIsOver() async throws {
        try await ChatHarness.run(orchestrator: ["CAIRN_CHAT_WS_MAX_SECONDS": "1"]) { harness in
            let token = try await harness.member()
            let started = ContinuousClock.now
            let close = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(harness.port)/v1/chat/ws", configuration: Self.configuration(token: token),
                                                          logger: Self.logger) { inbound, _, _ in
                for try await _ in inbound.messages(maxSize: 1 << 20) {}
            }
            #expect(ContinuousClock.now - started >= .seconds(1))
            let code: UInt16? = if case .unknown(let number) = close?.closeCode { number } else { nil }
            #expect(code == 4001, "\(String(describing: close))")
        }
    }

    @Test func closingTheSocketCancelsUpstreamAndKeepsThePartialAnswer() async throws {
        let llm = SlowLLM()
        try await llm.application().test(.live) { upstream in
            try await ChatHarness.run(generation: SlowLLM.generationEnvironment(port: upstream.port!)) { harness in
                let token = try await harness.member()
                let created = try await harness.call(.post, "/v1/conversations", json: [:], token: token)
                let conversation = try #require(created.string("id"))
                let deltas = Mutex(0)
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(harness.port)/v1/conversations/\(conversation)/ws",
                                                  configuration: Self.configuration(token: token), logger: Self.logger) { inbound, outbound, _ in
                    try await outbound.write(.text(#"{"type":"ask","content":"Tell me a long story"}"#))
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message, Self.frame(text).event == "delta" else { continue }
                        if deltas.withLock({ $0 += 1; return $0 }) >= 3 { break }
                    }
                    try await outbound.close(.normalClosure, reason: nil)
                }
                #expect(deltas.withLock { $0 } >= 3)
                let closed = await eventually(within: .seconds(20), every: .milliseconds(50)) { llm.streamsClosedEarly.withLock { $0 } == 1 }
                #expect(closed, "the provider's stream was not closed by the socket's close")
                let interrupted = await harness.awaitInterruptedAnswer(in: conversation, token: token, startingWith: "word0 ")
                #expect(interrupted, "the partial answer was not stored as interrupted")
            }
        }
    }

    @Test func anUnauthenticatedOrForeignUpgradeIsRefused() async throws {
        try await ChatHarness.run { harness in
            await #expect(throws: WebSocketClientError.webSocketUpgradeFailed) {
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(harness.port)/v1/chat/ws", logger: Self.logger) { _, _, _ in }
            }
            await #expect(throws: WebSocketClientError.webSocketUpgradeFailed) {
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(harness.port)/v1/chat/ws", configuration: Self.configuration(token: "not-a-token"),
                                                  logger: Self.logger) { _, _, _ in }
            }
            // Another user's conversation is not upgraded either.
            let owner = try await harness.member()
            let created = try await harness.call(.post, "/v1/conversations", json: [:], token: owner)
            let conversation = try #require(created.string("id"))
            let stranger = try await harness.member()
            await #expect(throws: WebSocketClientError.webSocketUpgradeFailed) {
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(harness.port)/v1/conversations/\(conversation)/ws",
                                                  configuration: Self.configuration(token: stranger), logger: Self.logger) { _, _, _ in }
            }
        }
    }
}
