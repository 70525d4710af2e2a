import CairnTesting
import CairnTokenizer
import EmbeddingApp
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MiniLM

/// Our all-MiniLM-L6-v2 (tokenizer + model, in process) beside sentence-transformers (PyTorch,
/// CPU, 2 threads) on the same 512 chunks and the same short query, in one run. The reference
/// runs from the bench-only venv (`deploy/local/bench-deps.sh`); the chunk rule and its JSON
/// line shapes are in `deploy/tools/minilm_reference_bench.py`.
enum EmbeddingBench {
    static let query = "How do I rotate an API key?"
    static let batch = 32
    /// The issue's targets: 1.3× the reference's 23.9 chunks/s measured here, and a short query
    /// in process within 2.5 ms.
    static let targetChunksPerSecond = 32.0
    static let targetQueryP50Milliseconds = 2.5

    static func run(repeats: Int, queries: Int, logger: Logger) async throws -> [String] {
        let environment = ProcessInfo.processInfo.environment
        guard let modelDirectory = environment["CAIRN_MODEL_DIR"], let venv = environment["CAIRN_BENCH_VENV"] else {
            throw Bench.ToolFailed(tool: "embedding bench: CAIRN_MODEL_DIR and CAIRN_BENCH_VENV (source deploy/local/env.sh)", status: 1)
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../..").standardizedFileURL
        let tokenizer = try BertTokenizer(vocabularyFile: modelDirectory + "/vocab.txt")
        let chunks = try BenchChunks.cut(directory: repository.appendingPathComponent("deploy/samples"), tokenizer: tokenizer)
        let chunksFile = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-bench-chunks-\(getpid()).json")
        try JSONSerialization.data(withJSONObject: chunks).write(to: chunksFile)
        defer { try? FileManager.default.removeItem(at: chunksFile) }

        let model = try MiniLMModel(directory: modelDirectory, threads: 2)
        var lines = [bulk(chunks, tokenizer: tokenizer, model: model, repeats: repeats)]
        lines.append(latency(tokenizer: tokenizer, model: model, queries: queries))
        lines.append(try await httpLatency(tokenizer: tokenizer, model: model, queries: queries, logger: logger))

        let reference = try await Bench.runReference(
            python: venv + "/bin/python",
            script: repository.appendingPathComponent("deploy/tools/minilm_reference_bench.py").path,
            arguments: [chunksFile.path, "--repeats", "\(repeats)"]
        )
        lines += reference.split(separator: "\n").map(String.init)
        return lines
    }

    /// Chunks per second through tokenizer and model, batches of 32 (tokenising included, as
    /// sentence-transformers' encode includes it).
    private static func bulk(_ chunks: [String], tokenizer: BertTokenizer, model: MiniLMModel, repeats: Int) -> String {
        func embedAll() {
            for start in stride(from: 0, to: chunks.count, by: batch) {
                let ids = chunks[start..<min(start + batch, chunks.count)].map { tokenizer.encode($0) }
                _ = model.embed(ids)
            }
        }
        embedAll()   // warm-up: scratch space grown, weights in cache
        var rates: [Double] = []
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            embedAll()
            rates.append(Double(chunks.count) / Bench.seconds(since: start))
        }
        rates.sort()
        let tokensPerChunk = Double(chunks.reduce(0) { $0 + tokenizer.encode($1).count }) / Double(chunks.count)
        let best = rates.last ?? 0
        return Bench.line([
            "bench": "embedding_bulk", "client": "cairn", "batch": batch, "chunks": chunks.count, "repeats": repeats,
            "threads": model.threads, "chunks_per_s": Bench.rounded(best), "chunks_per_s_median": Bench.rounded(rates[rates.count / 2]),
            "tokens_per_chunk": Bench.rounded(tokensPerChunk), "tokens_per_s": Bench.rounded(best * tokensPerChunk),
            "target_chunks_per_s": targetChunksPerSecond, "meets_target": best >= targetChunksPerSecond,
        ])
    }

    /// One short query at a time, tokenised and embedded, each call timed.
    private static func latency(tokenizer: BertTokenizer, model: MiniLMModel, queries: Int) -> String {
        for _ in 0..<20 { _ = model.embed([tokenizer.encode(query)]) }
        var samples: [Double] = []
        for _ in 0..<queries {
            let start = ContinuousClock.now
            _ = model.embed([tokenizer.encode(query)])
            samples.append(Bench.seconds(since: start) * 1000)
        }
        samples.sort()
        let p50 = Bench.percentile(samples, 0.5)
        return Bench.line([
            "bench": "embedding_query", "client": "cairn", "transport": "in process", "queries": queries,
            "tokens": tokenizer.encode(query).count, "p50_ms": (p50 * 100).rounded() / 100,
            "p99_ms": (Bench.percentile(samples, 0.99) * 100).rounded() / 100,
            "target_p50_ms": targetQueryP50Milliseconds, "meets_target": p50 <= targetQueryP50Milliseconds,
        ])
    }
}

extension EmbeddingBench {
    /// One short query at a time through `POST /v1/embeddings` (loopback, keep-alive, a
    /// verified service token): the service's own cost on top of the model's. The cache is off,
    /// so every call runs the model.
    fileprivate static func httpLatency(tokenizer: BertTokenizer, model: MiniLMModel, queries: Int, logger: Logger) async throws -> String {
        let (verifier, token) = try await AuthBench.serviceCredentials(subject: "chat-orchestrator", logger: logger)
        let environment = TestInfra.serviceEnvironment(overrides: [
            "CAIRN_EMBEDDING_WORKER": "off", "CAIRN_EMBEDDING_CACHE_TTL_SECONDS": "0", "CAIRN_LOG_LEVEL": "error",
        ])
        let config = try EmbeddingService.configuration(environment: environment)
        let local = LocalEmbedder(tokenizer: tokenizer, model: model, batching: config.batching)
        let app = try EmbeddingService.buildApplication(config: config, verifier: verifier, local: local, logger: logger)
        return try await app.test(.live) { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(token)"
            headers[.contentType] = "application/json"
            let body = ByteBuffer(string: #"{"input":"\#(query)","model":"all-MiniLM-L6-v2"}"#)
            let uri = "/v1/embeddings?tenant_id=\(UUID().uuidString.lowercased())"
            func call() async throws {
                let status = try await client.execute(uri: uri, method: .post, headers: headers, body: body) { $0.status }
                guard status == .ok else { throw Bench.ToolFailed(tool: "POST /v1/embeddings", status: Int32(status.code)) }
            }
            for _ in 0..<20 { try await call() }
            var samples: [Double] = []
            for _ in 0..<queries {
                let start = ContinuousClock.now
                try await call()
                samples.append(Bench.seconds(since: start) * 1000)
            }
            samples.sort()
            return Bench.line([
                "bench": "embedding_query", "client": "cairn", "transport": "http (loopback, keep-alive)", "queries": queries,
                "p50_ms": (Bench.percentile(samples, 0.5) * 100).rounded() / 100,
                "p99_ms": (Bench.percentile(samples, 0.99) * 100).rounded() / 100,
            ])
        }
    }
}

/// The benchmark's chunks: the sample documents (`deploy/samples/*.txt`, in file-name order)
/// cut into consecutive runs of 168 WordPiece tokens (170 with [CLS] and [SEP], the issue's
/// "~170 tokens"), each chunk the exact source text its tokens span; the first 512. Cutting by
/// tokens rather than by 500 characters keeps the work per chunk at what the issue measured
/// (500-character pieces of these documents average only ~128 tokens). Both implementations
/// embed the same strings: the reference reads them from the file this bench writes.
enum BenchChunks {
    static let tokensPerChunk = 168

    static func cut(directory: URL, tokenizer: BertTokenizer, count: Int = 512) throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".txt") }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var chunks: [String] = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let scalars = Array(text.unicodeScalars)
            let tokens = tokenizer.tokenize(text)
            for start in stride(from: 0, to: tokens.count - tokensPerChunk + 1, by: tokensPerChunk) {
                let span = tokens[start].start..<tokens[start + tokensPerChunk - 1].end
                var piece = String.UnicodeScalarView()
                piece.append(contentsOf: scalars[span])
                chunks.append(String(piece))
                if chunks.count == count { return chunks }
            }
        }
        throw Bench.ToolFailed(tool: "the sample documents give only \(chunks.count) of \(count) chunks", status: 1)
    }
}
