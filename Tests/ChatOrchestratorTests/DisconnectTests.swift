import AsyncHTTPClient
import CairnProtos
import CairnTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A client that goes away mid-answer: generation is cancelled upstream (the provider sees its
/// stream closed) and the partial answer is kept, marked interrupted.
@Suite struct DisconnectTests {
    @Test func aDisconnectCancelsUpstreamAndKeepsThePartialAnswer() async throws {
        let llm = SlowLLM()
        try await llm.application().test(.live) { upstream in
            try await ChatHarness.run(generation: SlowLLM.generationEnvironment(port: upstream.port!)) { harness in
                let token = try await harness.member()
                let created = try await harness.call(.post, "/v1/conversations", json: [:], token: token)
                let conversation = try #require(created.string("id"))
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.port)/v1/conversations/\(conversation)/messages")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "Accept", value: "text/event-stream")
                request.body = .bytes(ByteBuffer(string: #"{"content":"Tell me a long story"}"#))
                // Read until a few deltas arrived, then drop the connection.
                let reader = Task {
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                    var received = ""
                    for try await chunk in response.body {
                        received += String(buffer: chunk)
                        if received.components(separatedBy: "event: delta").count > 3 { return received }
                    }
                    return received
                }
                let received = try await reader.value
                #expect(received.hasPrefix("event: sources"))
                // The reader returned mid-body: AsyncHTTPClient closes the connection.
                let closed = await eventually(within: .seconds(20), every: .milliseconds(50)) { llm.streamsClosedEarly.withLock { $0 } == 1 }
                #expect(closed, "the provider's stream was not closed by the disconnect")
                let interrupted = await harness.awaitInterruptedAnswer(in: conversation, token: token, startingWith: "word0 ")
                #expect(interrupted, "the partial answer was not stored as interrupted")
                #expect(llm.streamsStarted.withLock { $0 } == 1)
                // What the client received was produced: the message is metered, marked interrupted.
                let usage = try await TopicReader.events(Cairn_V1_UsageRecorded.self, on: harness.usageTopic, within: .seconds(60)) { !$0.isEmpty }
                #expect(usage.count == 1 && usage.first?.kind == .chatMessage && usage.first?.attributes["interrupted"] == "true", "\(usage)")
            }
        }
    }

    @Test func aProviderFailureMidAnswerEndsTheStreamWithAnErrorAndKeepsThePartialAnswer() async throws {
        let llm = SlowLLM(breakAfter: 3)
        try await llm.application().test(.live) { upstream in
            try await ChatHarness.run(orchestrator: ["CAIRN_VECTOR_SEARCH_URL": "http://127.0.0.1:9"],
                                      generation: SlowLLM.generationEnvironment(port: upstream.port!)) { harness in
                let token = try await harness.member()
                let reply = try await harness.call(.post, "/v1/chat", json: ["message": "Tell me a long story", "stream": true], token: token)
                let events = ChatHarness.events(reply.text)
                let names = events.map(\.name)
                #expect(names.first == "sources" && names.last == "error", "\(reply.text)")
                #expect(names.filter { $0 == "delta" }.count >= 1 && !names.contains("done"), "\(names)")
                let error = try #require(events.last?.data)
                #expect((error["error"] as? [String: Any])?["code"] as? String == "GENERATION_FAILED")
                let partial = try #require(error["partial_message_id"] as? String)
                let conversations = try await harness.call(.get, "/v1/conversations", token: token)
                let conversation = try #require((conversations["conversations"] as? [[String: Any]])?.first?["id"] as? String)
                let history = try await harness.call(.get, "/v1/conversations/\(conversation)/messages", token: token)
                let last = try #require((history["messages"] as? [[String: Any]])?.last)
                #expect(last["id"] as? String == partial)
                #expect(last["interrupted"] as? Bool == true && last["error"] is String)
                #expect((last["content"] as? String ?? "").hasPrefix("word0 "))
            }
        }
    }
}
