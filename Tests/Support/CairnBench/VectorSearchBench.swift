import Foundation
import VectorSearchApp

/// Our HNSW graph and exact scan beside hnswlib, faiss and usearch (`../shared/bench/vectors_anchor.py`,
/// from the bench-only venv) on the same vectors, in one run: build time (2 threads),
/// single-thread QPS and recall@10 at several efSearch, exact-scan GB/s.
/// The vectors come from `deploy/tools/vectors_make.py` (made once, kept in `.run/bench`).
/// Then `POST /v1/search` p50/p99 over HTTP (loopback, keep-alive, a verified service token)
/// against the same 100,000 chunks in one collection.
enum VectorSearchBench {
    static let dimensions = 384
    static let m = 16
    static let efConstruction = 200
    static let efs = [32, 48, 64, 96, 112, 128, 256]
    /// The targets: 1.25× hnswlib's QPS at recall@10 ≥ 0.95, build no slower, exact ≥ 16 GB/s.
    static let targetQPSRatio = 1.25
    static let targetRecall = 0.95
    static let targetScanGBps = 16.0

    /// `http` measures `POST /v1/search` too (``VectorSearchHTTPBench``), given the vectors and queries.
    static func run(
        count: Int, anchors: Bool, http: (([Float], [[Float]]) async throws -> String)? = nil
    ) async throws -> [String] {
        let environment = ProcessInfo.processInfo.environment
        guard let venv = environment["CAIRN_BENCH_VENV"] else {
            throw Bench.ToolFailed(tool: "vector-search bench: CAIRN_BENCH_VENV (source deploy/local/env.sh)", status: 1)
        }
        let python = venv + "/bin/python"
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../..").standardizedFileURL
        let directory = environment["CAIRN_BENCH_VECTORS_DIR"].map { URL(fileURLWithPath: $0) }
            ?? repository.appendingPathComponent(".run/bench/vectors-\(count)")
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("truth.i32").path) {
            _ = try await Bench.runReference(
                python: python, script: repository.appendingPathComponent("deploy/tools/vectors_make.py").path,
                arguments: [directory.path, "\(count)"]
            )
        }
        let base = try floats(directory.appendingPathComponent("base.f32"))
        let queries = try floats(directory.appendingPathComponent("queries.f32"))
        let truth = try Data(contentsOf: directory.appendingPathComponent("truth.i32")).withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
        let n = base.count / dimensions, q = queries.count / dimensions

        var lines: [String] = []
        // Build: all vectors at once on 2 threads, like hnswlib's add_items with 2 threads.
        let graph = HNSWGraph(dimensions: dimensions, parameters: HNSWParameters(m: m, efConstruction: efConstruction), capacity: n)
        let start = ContinuousClock.now
        let first = graph.reserve(n)
        base.withUnsafeBufferPointer { graph.insertBatch($0, first: first, threads: 2) }
        let build = Bench.seconds(since: start)
        let queryVectors = (0..<q).map { Array(queries[$0 * dimensions..<($0 + 1) * dimensions]) }
        // Single-thread queries, 1,000 per efSearch; measured once like the anchors' (on a shared
        // machine, compare figures of one run only).
        func sweep() -> [(ef: Int, qps: Double, recall: Double)] {
            efs.map { ef in
                _ = graph.search(queryVectors[0], k: 10, ef: ef)
                var found: [[Int32]] = []
                found.reserveCapacity(q)
                let t = ContinuousClock.now
                for query in queryVectors { found.append(graph.search(query, k: 10, ef: ef).map(\.slot)) }
                return (ef, Double(q) / Bench.seconds(since: t), recallAt10(found, truth: truth))
            }
        }
        let ours = sweep()
        func oursLines() -> [String] {
            ours.map { ef, qps, recall in
                Bench.line([
                    "bench": "vector_hnsw", "lib": "cairn", "M": m, "ef": ef, "qps": Bench.rounded(qps), "recall@10": (recall * 10_000).rounded() / 10_000,
                    "build_s_2threads": Bench.rounded(build), "n": n, "avx2": HNSWGraph.isVectorized,
                ])
            }
        }
        // Exact scan, single thread, over the plain matrix.
        let scanQueries = min(q, 100)
        var exactFound: [[Int32]] = []
        let t = ContinuousClock.now
        base.withUnsafeBufferPointer { matrix in
            for query in queryVectors.prefix(scanQueries) {
                exactFound.append(query.withUnsafeBufferPointer { exactTopK($0, base: matrix, dimensions: dimensions, k: 10).map(\.slot) })
            }
        }
        let scanSeconds = Bench.seconds(since: t)
        let gbps = Double(scanQueries) * Double(base.count * 4) / scanSeconds / 1e9
        // The same on two threads (what the service does for scans of more than 4 M floats).
        let t2 = ContinuousClock.now
        base.withUnsafeBufferPointer { matrix in
            for query in queryVectors.prefix(scanQueries) {
                _ = query.withUnsafeBufferPointer { exactTopK($0, base: matrix, dimensions: dimensions, k: 10, threads: 2) }
            }
        }
        let gbps2 = Double(scanQueries) * Double(base.count * 4) / Bench.seconds(since: t2) / 1e9
        lines.append(Bench.line([
            "bench": "vector_exact", "lib": "cairn", "qps": Bench.rounded(Double(scanQueries) / scanSeconds), "scan_GBps": Bench.rounded(gbps),
            "scan_GBps_2threads": Bench.rounded(gbps2), "recall@10": recallAt10(exactFound, truth: truth), "target_GBps": targetScanGBps,
            "meets_target_1thread": gbps >= targetScanGBps,
        ]))
        if let http { lines.append(try await http(base, queryVectors)) }
        guard anchors else { return oursLines() + lines }

        let anchor = environment["CAIRN_BENCH_VECTORS_ANCHOR"]
            ?? repository.appendingPathComponent("../shared/bench/vectors_anchor.py").standardizedFileURL.path
        let reference = try await Bench.runReference(python: python, script: anchor, arguments: [directory.path])
        let referenceLines = reference.split(separator: "\n").map(String.init)
        lines = oursLines() + lines + referenceLines
        // The comparison: each library at its cheapest efSearch reaching recall@10 ≥ 0.95.
        let hnswlib = referenceLines.compactMap { line -> (ef: Int, qps: Double, recall: Double, build: Double)? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], object["lib"] as? String == "hnswlib",
                  let ef = object["ef"] as? Int, let qps = object["qps"] as? Double ?? (object["qps"] as? Int).map(Double.init),
                  let recall = object["recall@10"] as? Double, let build = object["build_s_2threads"] as? Double else { return nil }
            return (ef, qps, recall, build)
        }
        if let theirs = hnswlib.filter({ $0.recall >= targetRecall }).min(by: { $0.ef < $1.ef }),
           let mine = ours.filter({ $0.recall >= targetRecall }).min(by: { $0.ef < $1.ef }) {
            let ratio = mine.qps / theirs.qps
            lines.append(Bench.line([
                "bench": "vector_hnsw_vs_hnswlib", "recall_at_least": targetRecall, "cairn_ef": mine.ef, "cairn_qps": Bench.rounded(mine.qps),
                "cairn_recall@10": (mine.recall * 10_000).rounded() / 10_000, "hnswlib_ef": theirs.ef, "hnswlib_qps": Bench.rounded(theirs.qps),
                "hnswlib_recall@10": theirs.recall, "qps_ratio": (ratio * 100).rounded() / 100, "target_ratio": targetQPSRatio,
                "meets_target": ratio >= targetQPSRatio, "cairn_build_s": Bench.rounded(build), "hnswlib_build_s": theirs.build,
                "build_no_slower": build <= theirs.build,
            ]))
        }
        return lines
    }

    static func floats(_ url: URL) throws -> [Float] {
        try Data(contentsOf: url).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    static func recallAt10(_ found: [[Int32]], truth: [Int32]) -> Double {
        var hits = 0
        for (i, ids) in found.enumerated() {
            let expected = Set(truth[i * 10..<(i + 1) * 10])
            hits += ids.prefix(10).filter { expected.contains($0) }.count
        }
        return Double(hits) / Double(found.count * 10)
    }
}
