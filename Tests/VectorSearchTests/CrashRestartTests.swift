import AsyncHTTPClient
import CairnEvents
import CairnKafka
import CairnPostgres
import ServiceKit
import CairnTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import NIOCore
import Testing
@testable import VectorSearchApp

/// The acceptance crash test: the real `vector-search` executable is killed with SIGKILL while it
/// works through a stream of 10,000 embedded chunks, then restarted; Postgres and the index must
/// then hold exactly the chunks, once each, and searches agree with the exact baseline.
@Suite struct CrashRestartTests {
    static let documents = 200
    static let chunksPerDocument = 50
    static let dimensions = 64

    @Test func aServiceKilledMidStreamHoldsExactlyTheAcknowledgedChunks() async throws {
        let tokens = try TestTokens()
        let jwks = try JSONEncoder().encode(try await tokens.publicKeys())
        let router = Router()
        router.get("/.well-known/jwks.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: jwks)))
        }
        let authStandIn = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: VectorSearchHarness.logger)
        try await authStandIn.test(.live) { auth in
            try await TestDatabase.withFresh(prefix: "vectors") { database in
                var environment = try await VectorSearchHarness.environment(database: database.database, overrides: [
                    "CAIRN_AUTH_URL": "http://127.0.0.1:\(try #require(auth.port))", "CAIRN_LOG_LEVEL": "info",
                ])
                environment["CAIRN_POSTGRES_DATABASE"] = database.database
                try await run(environment: environment, database: database, tokens: tokens)
            }
        }
    }

    func run(environment: [String: String], database: PostgresSettings, tokens: TestTokens) async throws {
        let tenant = UUID()
        var data = TestVectors(dimensions: Self.dimensions, clusters: 40, seed: 77)
        let vectors = data.make(Self.documents * Self.chunksPerDocument)
        let queries = data.make(30)
        let events = (0..<Self.documents).map { d in
            VectorSearchHarness.embedded(
                tenant: tenant, document: "doc\(d)", vectors: Array(vectors[d * Self.chunksPerDocument..<(d + 1) * Self.chunksPerDocument]),
                metadata: ["category": d % 10 == 0 ? "rare" : "common"]
            )
        }
        let producer = try KafkaProducer(settings: VectorSearchHarness.kafka, clientID: "vector-search-crash-test", logger: VectorSearchHarness.logger)
        defer { producer.close() }
        let topic = environment["CAIRN_SEARCH_CHUNKS_TOPIC"]!
        for result in try await producer.send(events.map { KafkaRecord(topic: topic, key: $0.partitionKey, value: EventCodec.encode($0)) }) {
            _ = try result.get()
        }
        func stored() async throws -> (rows: Int, distinct: Int) {
            try await withPostgresClient(database) { client in
                let rows = try await client.query("SELECT count(*)::int8, count(DISTINCT chunk_id)::int8 FROM cairn_vectors WHERE tenant_id = \(tenant)")
                for try await (count, distinct) in rows.decode((Int, Int).self) { return (count, distinct) }
                return (0, 0)
            }
        }

        // First run: killed once part of the stream is stored.
        let firstLog = Self.logFile()
        defer { try? FileManager.default.removeItem(at: firstLog) }
        let first = try Self.start(environment, log: firstLog)
        let total = Self.documents * Self.chunksPerDocument
        let midway = await eventually(within: .seconds(240), every: .milliseconds(20)) { ((try? await stored().rows) ?? 0) >= 1_000 }
        kill(first.processIdentifier, SIGKILL)
        #expect(await eventually(within: .seconds(10)) { !first.isRunning })
        #expect(midway, "log: \(Self.tail(firstLog))")
        let atKill = try await stored()
        #expect(first.terminationReason == .uncaughtSignal)
        #expect(atKill.rows < total, "killed with work left")
        #expect(atKill.rows % Self.chunksPerDocument == 0, "only whole committed batches are stored")

        // Second run: loads what was committed, then consumes the rest.
        let secondLog = Self.logFile()
        defer { try? FileManager.default.removeItem(at: secondLog) }
        let second = try Self.start(environment, log: secondLog)
        defer { if second.isRunning { second.terminate() } }
        let port = try #require(await Self.port(secondLog), "log: \(Self.tail(secondLog))")
        let base = "http://127.0.0.1:\(port)"
        let token = try await tokens.token(.service, tenant: nil)
        let query = "?tenant_id=\(tenant.uuidString.lowercased())"
        let done = await eventually(within: .seconds(300), every: .milliseconds(100)) {
            let chunks = try? await Self.get(base + "/v1/search/collections/docs" + query, token: token)?["chunks"] as? Int
            return chunks == total
        }
        #expect(done, "log: \(Self.tail(secondLog))")
        let final = try await stored()
        #expect(final.rows == total && final.distinct == total)
        let stats = try #require(try await Self.get(base + "/v1/search/collections/docs" + query, token: token))
        #expect(stats["chunks"] as? Int == total)
        #expect(stats["graph_nodes"] as? Int == total, "redelivered batches add nothing to the graph")

        // Searches agree with the exact baseline: the graph walk's recall, and filtered exact scans.
        var hits = 0
        for q in queries {
            let expected = vectors.enumerated().map { ($0.offset, dot(q, $0.element)) }.sorted { $0.1 > $1.1 }.prefix(10)
                .map { "doc\($0.0 / Self.chunksPerDocument)-v1-\($0.0 % Self.chunksPerDocument)" }
            let reply = try #require(try await Self.post(base + "/v1/search" + query, ["vector": q, "top_k": 10, "strategy": "vector"], token: token))
            let got = (reply["results"] as? [[String: Any]] ?? []).compactMap { $0["chunk_id"] as? String }
            hits += Set(got).intersection(expected).count
            let rare = vectors.enumerated().filter { ($0.offset / Self.chunksPerDocument) % 10 == 0 }
                .map { ($0.offset, dot(q, $0.element)) }.sorted { $0.1 > $1.1 }.prefix(10)
                .map { "doc\($0.0 / Self.chunksPerDocument)-v1-\($0.0 % Self.chunksPerDocument)" }
            let filtered = try #require(try await Self.post(base + "/v1/search" + query,
                                                            ["vector": q, "top_k": 10, "strategy": "vector", "filters": ["category": "rare"]], token: token))
            #expect((filtered["results"] as? [[String: Any]] ?? []).compactMap { $0["chunk_id"] as? String } == Array(rare))
        }
        let recall = Double(hits) / Double(queries.count * 10)
        #expect(recall >= 0.95, "recall@10 \(recall)")
        second.terminate()
        #expect(await eventually(within: .seconds(30)) { !second.isRunning })
        #expect(second.terminationReason == .exit && second.terminationStatus == 0, "log: \(Self.tail(secondLog))")
    }

    static func logFile() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vector-search-crash-\(TestInfra.uniqueSuffix()).log")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }

    static func start(_ environment: [String: String], log: URL) throws -> Process {
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = TestInfra.binDirectory.appendingPathComponent("vector-search")
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }

    /// The port from the service's `listening` log line.
    static func port(_ log: URL) async -> Int? {
        var found: Int?
        _ = await eventually(within: .seconds(120), every: .milliseconds(50)) {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.contains("\"listening\"") {
                if let range = line.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                    found = Int(line[range].split(separator: ":").last!)
                }
            }
            return found != nil
        }
        return found
    }

    static func get(_ url: String, token: String) async throws -> [String: Any]? {
        try await send(HTTPClientRequest(url: url), token: token)
    }

    static func post(_ url: String, _ body: [String: Any], token: String) async throws -> [String: Any]? {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        return try await send(request, token: token)
    }

    static func send(_ request: HTTPClientRequest, token: String) async throws -> [String: Any]? {
        var request = request
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 22)
        guard response.status == .ok else { return nil }
        return try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
    }

    static func tail(_ log: URL) -> String {
        String(((try? String(contentsOf: log, encoding: .utf8)) ?? "").suffix(1_500))
    }
}
