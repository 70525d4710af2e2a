import CairnTesting
import CairnTokenizer
import Foundation
import Testing

@testable import IngestionApp

/// Documents and chunks per second through extraction + chunking (the real tokenizer, the
/// collection defaults), for the Markdown samples of `deploy/samples` and the PDF fixtures, beside
/// the Python baseline (`pdftotext` + fixed-size splitting, `deploy/tools/ingestion_reference_bench.py`)
/// measured in the same run. Prints JSON lines. A benchmark, not a check: it runs only with
/// `CAIRN_INGESTION_BENCH=1` (its `make bench` line waits for CairnBench to depend on IngestionApp).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CAIRN_INGESTION_BENCH"] == "1")) struct IngestionThroughputTests {
    static let repeats = 3

    @Test func extractionAndChunkingThroughput() async throws {
        let tokenizer = try RealTokenizer.load()
        let samples = try FileManager.default.contentsOfDirectory(atPath: Fixture.repository.appendingPathComponent("deploy/samples").path)
            .filter { $0.hasSuffix(".txt") }.sorted().map { Fixture.repository.appendingPathComponent("deploy/samples/\($0)") }
        let pdfs = ["multipage.pdf", "single-page.pdf"].map { Fixture.directory.appendingPathComponent($0) }
        for (kind, files, type) in [("markdown", samples, "text/markdown"), ("pdf", pdfs, "application/pdf")] {
            let contents = try files.map { try Data(contentsOf: $0) }
            let extractor = DocumentExtractor()
            var best = 0.0
            var chunks = 0
            for _ in 0..<Self.repeats {
                let start = ContinuousClock.now
                chunks = 0
                for content in contents {
                    let document = try await extractor.extract(content, declaredType: type)
                    chunks += try Chunker(tokenizer: tokenizer).chunks(of: document, documentID: UUID().uuidString.lowercased(), version: 1).count
                }
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                best = max(best, Double(contents.count) / seconds)
            }
            let ours: [String: Any] = [
                "bench": "ingestion_\(kind)", "client": "cairn", "documents": contents.count, "chunks": chunks,
                "documents_per_s": (best * 10).rounded() / 10, "chunks_per_s": (best * Double(chunks) / Double(contents.count) * 10).rounded() / 10,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: ours, options: [.sortedKeys]), as: UTF8.self))
            let python = URL(fileURLWithPath: (TestInfra.environment["CAIRN_VENV"] ?? "/usr") + "/bin/python3")
            let (status, output) = try await runProcess(python, [
                Fixture.repository.appendingPathComponent("deploy/tools/ingestion_reference_bench.py").path, kind, "\(Self.repeats)",
            ] + files.map(\.path))
            #expect(status == 0, "\(output)")
            print(output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
