import CairnAuthKit
import CairnKafka
import CairnTesting
import Foundation
import GenerationApp
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceKit
import Testing

/// The generation app on a fresh usage topic with its real services (Redis, the producer, the
/// usage sender), driven through the router test client or a live socket.
struct GenerationHarness {
    let client: any TestClientProtocol
    let config: GenerationConfig
    let tokens: TestTokens
    let tenant = UUID()

    static let logger = TestInfra.logger(level: .error)

    static var kafka: KafkaSettings {
        KafkaSettings(brokers: TestInfra.kafkaBrokers.split(separator: ",").compactMap { Endpoint(parsing: $0) })
    }

    /// Providers for a fake LLM on `port` (`openai` and `anthropic`), models `gpt-fake` and
    /// `claude-fake`, and the alias `smart` = gpt-fake → claude-fake → cairn-extractive-1.
    static func providerEnvironment(openAIPort: Int, anthropicPort: Int) -> [String: String] {
        [
            "CAIRN_GENERATION_PROVIDERS": #"[{"name":"openai","type":"openai-compatible","base_url":"http://127.0.0.1:\#(openAIPort)/v1","api_key_env":"TEST_OPENAI_KEY"},{"name":"anthropic","type":"anthropic","base_url":"http://127.0.0.1:\#(anthropicPort)"}]"#,
            "TEST_OPENAI_KEY": "sk-test-secret",
            "CAIRN_GENERATION_MODELS": #"[{"id":"gpt-fake","provider":"openai","upstream_model":"gpt-4o-mini","context_window":16384,"max_output_tokens":1024,"input_price_per_1k":0.15,"output_price_per_1k":0.6},{"id":"claude-fake","provider":"anthropic","context_window":16384,"max_output_tokens":1024}]"#,
            "CAIRN_GENERATION_ALIASES": #"{"default":["cairn-extractive-1"],"smart":["gpt-fake","claude-fake","cairn-extractive-1"]}"#,
            "CAIRN_GENERATION_FIRST_TOKEN_TIMEOUT_MS": "30000",
            "CAIRN_GENERATION_ATTEMPTS_PER_MODEL": "1",
        ]
    }

    static func environment(_ overrides: [String: String] = [:]) async throws -> [String: String] {
        let usage = "test.generation-usage.\(TestInfra.uniqueSuffix())"
        try await KafkaAdmin.ensureTopics([TopicSpec(name: usage, partitions: 1)], settings: kafka)
        return TestInfra.serviceEnvironment(overrides: ["CAIRN_GENERATION_USAGE_TOPIC": usage].merging(overrides) { $1 })
    }

    static func run(
        _ overrides: [String: String] = [:], testing: TestingSetup = .router, embedder: (any SentenceEmbedder)? = nil,
        _ body: @Sendable (GenerationHarness) async throws -> Void
    ) async throws {
        let config = try GenerationService.configuration(environment: try await environment(overrides))
        let tokens = try TestTokens()
        let app = try GenerationService.buildApplication(config: config, verifier: tokens.verifier(), embedder: embedder, logger: logger)
        try await app.test(testing) { client in
            try await body(GenerationHarness(client: client, config: config, tokens: tokens))
        }
    }

    var tenantQuery: String { "?tenant_id=\(tenant.uuidString.lowercased())" }

    func serviceToken() async throws -> String {
        try await tokens.token(.service, tenant: nil, subject: "chat-orchestrator")
    }

    func call(_ method: HTTPRequest.Method, _ path: String, json: Any? = nil, token: String?) async throws -> JSONReply {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let token { headers[.authorization] = "Bearer \(token)" }
        let body = try json.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            JSONReply(status: response.status, text: String(buffer: response.body), headers: response.headers)
        }
    }

    /// `POST /v1/generate` for the harness's tenant, as the chat orchestrator.
    func generate(_ body: [String: Any]) async throws -> JSONReply {
        try await call(.post, "/v1/generate" + tenantQuery, json: body, token: try await serviceToken())
    }

    /// The SSE events of an answer: (event name, data).
    static func events(_ text: String) -> [(event: String?, data: String)] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block in
            var name: String?
            var data: [String] = []
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
            }
            return (name, data.joined(separator: "\n"))
        }
    }

    static func object(_ data: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
    }
}

/// The sample documents of `deploy/samples`, cut into passages at blank lines (about 1,500
/// characters each), as retrieval would hand them over.
enum SampleDocuments {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/samples").standardized

    static func passages() throws -> [(file: String, text: String)] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".txt") }.sorted()
        var passages: [(String, String)] = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            var current = ""
            for paragraph in text.components(separatedBy: "\n\n") {
                current += paragraph + "\n\n"
                if current.count > 1_500 {
                    passages.append((file, current))
                    current = ""
                }
            }
            if !current.isEmpty { passages.append((file, current)) }
        }
        return passages
    }

    /// Eight passages: the ones containing each needle (in order) first, then others to fill.
    static func sources(containing needles: [String]) throws -> [[String: Any]] {
        let all = try passages()
        var chosen: [(file: String, text: String)] = []
        for needle in needles {
            if let match = all.first(where: { $0.text.contains(needle) }) { chosen.append(match) }
        }
        for passage in all where chosen.count < 8 && !chosen.contains(where: { $0.text == passage.text }) && passage.text.count > 800 {
            chosen.append(passage)
        }
        // The relevant passages in the middle, not first.
        let mixed = Array(chosen.dropFirst(needles.count).prefix(4)) + Array(chosen.prefix(needles.count)) + Array(chosen.dropFirst(needles.count + 4))
        return mixed.enumerated().map { ["id": "\($0.element.file)#\($0.offset)", "title": $0.element.file, "text": $0.element.text] }
    }
}
