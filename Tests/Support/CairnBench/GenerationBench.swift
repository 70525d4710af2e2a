import AsyncHTTPClient
import CairnAuthKit
import CairnKafka
import CairnTesting
import Foundation
import GenerationApp
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import NIOCore
import ServiceKit

/// `cairn-bench generation`: what the generation service adds over its upstream.
/// - Time to first token straight from a zero-delay local upstream speaking OpenAI's streaming
///   protocol, and through `POST /v1/generate` (stream) routed to it: p50/p99 of each and the
///   difference (auth, prompt assembly, routing, SSE re-encoding).
/// - The extractive generator answering over 8 sample passages (`deploy/samples`), non-streamed,
///   p50/p99, ranking by word overlap (no embedding service in the bench).
enum GenerationBench {
    static let deltas = (0..<20).map { "token\($0) " }

    static func upstream() -> some ApplicationProtocol {
        let router = Router()
        let prefix = #"{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"bench","choices":[{"index":0,"delta":{"content":"#
        let body = deltas.map { "data: " + prefix + "\"\($0)\"},\"finish_reason\":null}]}\n\n" }.joined()
            + "data: " + prefix + "\"\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20}}\n\ndata: [DONE]\n\n"
        router.post("/v1/chat/completions") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: body))
                try await writer.finish(nil)
            })
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// Seconds until the first chunk holding `marker`, and the body read to its end.
    static func timeToFirst(_ marker: String, url: String, body: String, token: String?) async throws -> Double {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(string: body))
        let start = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        var first: Double?
        for try await chunk in response.body where first == nil && String(buffer: chunk).contains(marker) {
            first = Bench.seconds(since: start)
        }
        guard let first else { throw Bench.ToolFailed(tool: "generation stream without \(marker)", status: Int32(response.status.code)) }
        return first
    }

    static func run(requests: Int, logger: Logger) async throws -> [String] {
        let suffix = TestInfra.uniqueSuffix()
        let usage = "bench.generation-usage.\(suffix)"
        try await KafkaAdmin.ensureTopics([TopicSpec(name: usage, partitions: 1)], settings: KafkaSettings(brokers: [Endpoint(parsing: TestInfra.kafkaBrokers.split(separator: ",")[0])!]))
        let key = try EdDSA.PrivateKey()
        let kid = JWKIdentifier(string: "bench-generation")
        let jwk = JWK.octetKeyPair(.eddsa, identifier: kid, x: key.publicKey.rawRepresentation.base64URLEncodedString(), y: nil, curve: .ed25519)
        let verifier = TokenVerifier(keys: PublicKeyCache(source: AuthBench.StaticKeySource(jwks: JWKS(keys: [jwk])), logger: logger), settings: TokenVerificationSettings())
        let identity = Identity(kind: .service, subject: "chat-orchestrator", tenantID: nil, role: .service, scopes: Role.service.permissions)
        let token = try await JWTKeyCollection().add(eddsa: key, kid: kid).sign(
            AccessTokenClaims(identity: identity, issuer: "cairn-auth", audience: "cairn", issuedAt: Date(), lifetime: .seconds(3600), tokenID: suffix), kid: kid
        )
        return try await upstream().test(.live) { upstreamClient in
            let upstreamPort = upstreamClient.port!
            let environment = TestInfra.serviceEnvironment(overrides: [
                "CAIRN_GENERATION_USAGE_TOPIC": usage, "CAIRN_LOG_LEVEL": "error",
                "CAIRN_GENERATION_PROVIDERS": #"[{"name":"bench","type":"openai-compatible","base_url":"http://127.0.0.1:\#(upstreamPort)/v1"}]"#,
                "CAIRN_GENERATION_MODELS": #"[{"id":"bench-model","provider":"bench","context_window":16384,"max_output_tokens":1024}]"#,
            ])
            let config = try GenerationService.configuration(environment: environment)
            let app = try GenerationService.buildApplication(config: config, verifier: verifier, embedder: nil, logger: logger)
            return try await app.test(.live) { client in
                let tenant = UUID().uuidString.lowercased()
                let generate = "http://127.0.0.1:\(client.port!)/v1/generate?tenant_id=\(tenant)"
                let upstreamURL = "http://127.0.0.1:\(upstreamPort)/v1/chat/completions"
                let upstreamBody = #"{"model":"bench","stream":true,"messages":[{"role":"user","content":"What is Cairn?"}]}"#
                let ourBody = #"{"model":"bench-model","stream":true,"question":"What is Cairn?","sources":[{"text":"Cairn is a RAG platform."}]}"#
                var direct: [Double] = []
                var through: [Double] = []
                for round in 0..<(requests + 20) {
                    let a = try await timeToFirst("token0", url: upstreamURL, body: upstreamBody, token: nil)
                    let b = try await timeToFirst("event: delta", url: generate, body: ourBody, token: token)
                    if round >= 20 { direct.append(a * 1_000); through.append(b * 1_000) }
                }
                direct.sort()
                through.sort()
                var lines = [Bench.line([
                    "bench": "generation_ttft", "requests": requests, "unit": "ms", "upstream": "zero-delay local OpenAI-compatible SSE",
                    "direct_p50": Bench.rounded(Bench.percentile(direct, 0.5)), "direct_p99": Bench.rounded(Bench.percentile(direct, 0.99)),
                    "through_p50": Bench.rounded(Bench.percentile(through, 0.5)), "through_p99": Bench.rounded(Bench.percentile(through, 0.99)),
                    "added_p50": Bench.rounded((Bench.percentile(through, 0.5) - Bench.percentile(direct, 0.5))),
                    "added_p99": Bench.rounded((Bench.percentile(through, 0.99) - Bench.percentile(direct, 0.99))),
                ])]

                // Extractive over 8 sample passages (non-streamed, temperature > 0: no cache).
                let sources = try samplePassages(8)
                let extractive = try JSONSerialization.data(withJSONObject: [
                    "question": "Which platform is the AI agent embedded in, and whom does it help?", "sources": sources, "temperature": 0.5,
                ])
                var request = HTTPClientRequest(url: generate)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                request.body = .bytes(ByteBuffer(bytes: extractive))
                var samples: [Double] = []
                for round in 0..<(requests / 2 + 10) {
                    let start = ContinuousClock.now
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                    _ = try await response.body.collect(upTo: 1 << 20)
                    guard response.status == .ok else { throw Bench.ToolFailed(tool: "extractive generation", status: Int32(response.status.code)) }
                    if round >= 10 { samples.append(Bench.seconds(since: start) * 1_000) }
                }
                samples.sort()
                lines.append(Bench.line([
                    "bench": "generation_extractive", "sources": sources.count, "requests": samples.count, "unit": "ms", "ranking": "word overlap",
                    "source_chars": sources.reduce(0) { $0 + (($1["text"] as? String)?.count ?? 0) },
                    "p50": Bench.rounded(Bench.percentile(samples, 0.5)), "p99": Bench.rounded(Bench.percentile(samples, 0.99)),
                ]))
                return lines
            }
        }
    }

    /// `count` passages of about 1,500 characters from `deploy/samples`, two from each file.
    static func samplePassages(_ count: Int) throws -> [[String: Any]] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../deploy/samples").standardized
        var passages: [[String: Any]] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).filter({ $0.hasSuffix(".txt") }).sorted() {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            var current = ""
            var taken = 0
            for paragraph in text.components(separatedBy: "\n\n") where taken < 2 {
                current += paragraph + "\n\n"
                if current.count > 1_500 {
                    passages.append(["id": "\(file)#\(taken)", "text": current])
                    current = ""
                    taken += 1
                }
            }
        }
        return Array(passages.prefix(count))
    }
}
