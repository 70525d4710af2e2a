import CairnTesting
import Foundation
@testable import GenerationApp
import Testing

/// The APIs over the remote providers (fake LLMs on sockets): failover through an alias,
/// redaction of what leaves, the completeness marker, the mid-stream error event.
@Suite struct ProviderAPITests {
    static func withProviders(
        _ overrides: [String: String] = [:], _ body: @Sendable (FakeLLM, FakeLLM, GenerationHarness) async throws -> Void
    ) async throws {
        try await ProviderAndRoutingTests.withFake { openAI, openAIPort in
            try await ProviderAndRoutingTests.withFake(FakeLLM(defaultDeltas: ["Claude ", "says [1] and [7]."])) { anthropic, anthropicPort in
                let environment = GenerationHarness.providerEnvironment(openAIPort: openAIPort, anthropicPort: anthropicPort).merging(overrides) { $1 }
                try await GenerationHarness.run(environment) { harness in
                    try await body(openAI, anthropic, harness)
                }
            }
        }
    }

    @Test func anAliasFailsOverAndUnknownCitationsAreRemoved() async throws {
        try await Self.withProviders(["CAIRN_GENERATION_FIRST_TOKEN_TIMEOUT_MS": "2000"]) { openAI, _, harness in
            openAI.script([.stall(.seconds(8))])
            let reply = try await harness.generate(["model": "smart", "question": "q?", "sources": [["text": "One fact."]], "temperature": 0.3])
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.string("model") == "claude-fake")
            #expect(reply.string("answer") == "Claude says [1] and.")
            #expect((reply["citations"] as? [Int]) == [1])
        }
    }

    @Test func piiIsRedactedBeforeItLeavesAndPricesAreApplied() async throws {
        try await Self.withProviders { openAI, _, harness in
            let reply = try await harness.generate([
                "model": "gpt-fake", "question": "Mail jane@example.com about SSN 123-45-6789", "pii_redaction": true,
                "sources": [["text": "Card 4111-1111-1111-1111 was used."]], "max_tokens": 100_000,
            ])
            #expect(reply.status == .ok, "\(reply.text)")
            let sent = try #require(openAI.received.withLock { $0.last })
            guard case .array(let messages)? = sent.body["messages"] else { Issue.record("no messages"); return }
            let text = "\(messages)"
            #expect(!text.contains("jane@example.com") && !text.contains("123-45-6789") && !text.contains("4111-1111"))
            #expect(text.contains("[REDACTED_EMAIL]") && text.contains("[REDACTED_SSN]") && text.contains("[REDACTED_CARD]"))
            #expect(sent.body["max_tokens"]?.number == 1_024)  // clamped to the model's limit
            #expect(sent.body["model"]?.string == "gpt-4o-mini")
            // 42 prompt tokens at $0.15/1k + 4 completion tokens at $0.60/1k.
            #expect(abs(((reply.object("usage")?["cost_usd"] as? Double) ?? 0) - (42 * 0.15 + 4 * 0.6) / 1_000) < 1e-9)
        }
    }

    @Test func anAnswerCutByMaxTokensSaysSo() async throws {
        try await Self.withProviders { openAI, _, harness in
            openAI.script([.truncated(["It is"])])
            let reply = try await harness.generate(["model": "gpt-fake", "question": "q?", "max_tokens": 2])
            #expect(reply.string("finish_reason") == "length")
            #expect(reply.string("answer") == "It is" + CompletenessMarker.text)
        }
    }

    @Test func aStreamFailingMidwayEndsWithAnErrorEvent() async throws {
        try await Self.withProviders { openAI, anthropic, harness in
            openAI.script([.breakOff(["Half"])])
            let reply = try await harness.generate(["model": "smart", "question": "q?", "stream": true])
            let events = GenerationHarness.events(reply.text)
            #expect(events.map(\.event) == ["start", "delta", "error"])
            let error = GenerationHarness.object(events.last!.data)
            #expect((error["error"] as? [String: Any])?["code"] as? String == "PROVIDER_FAILED")
            #expect(anthropic.requestCount == 0)

            // Every model down before the first token: a 503 before any stream starts.
            openAI.script([.fail(500)])
            anthropic.script([.fail(500)])
            let down = try await harness.generate(["model": "gpt-fake", "question": "q?", "stream": true])
            #expect(down.status == .serviceUnavailable)
            #expect(down.errorCode == "PROVIDER_UNAVAILABLE")
        }
    }
}
