import CairnTokenizer
import Foundation
import IngestionApp

/// Documents and chunks per second through extraction + chunking (the real tokenizer, the
/// collection defaults 256/32), for the Markdown samples in `deploy/samples` and the PDF
/// fixtures, beside the Python baseline (`pdftotext` + fixed-size splitting,
/// `deploy/tools/ingestion_reference_bench.py`) measured in the same run.
enum IngestionBench {
    static let repeats = 3

    static func run() async throws -> [String] {
        let environment = ProcessInfo.processInfo.environment
        guard let modelDirectory = environment["CAIRN_MODEL_DIR"], let venv = environment["CAIRN_VENV"] else {
            throw Bench.ToolFailed(tool: "ingestion bench: CAIRN_MODEL_DIR and CAIRN_VENV (source deploy/local/env.sh)", status: 1)
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../..").standardizedFileURL
        let tokenizer = try BertTokenizer(vocabularyFile: modelDirectory + "/vocab.txt")
        let samplesDirectory = repository.appendingPathComponent("deploy/samples")
        let samples = try FileManager.default.contentsOfDirectory(atPath: samplesDirectory.path)
            .filter { $0.hasSuffix(".txt") }.sorted().map { samplesDirectory.appendingPathComponent($0) }
        let pdfs = ["multipage.pdf", "single-page.pdf"].map { repository.appendingPathComponent("Tests/Fixtures/ingestion/\($0)") }
        var lines: [String] = []
        for (kind, files, type) in [("markdown", samples, "text/markdown"), ("pdf", pdfs, "application/pdf")] {
            let contents = try files.map { try Data(contentsOf: $0) }
            let extractor = DocumentExtractor()
            let chunker = Chunker(tokenizer: tokenizer)
            var best = 0.0
            var chunks = 0
            for _ in 0..<repeats {
                let start = ContinuousClock.now
                chunks = 0
                for content in contents {
                    let document = try await extractor.extract(content, declaredType: type)
                    chunks += try chunker.chunks(of: document, documentID: UUID().uuidString.lowercased(), version: 1).count
                }
                best = max(best, Double(contents.count) / Bench.seconds(since: start))
            }
            lines.append(Bench.line([
                "bench": "ingestion_\(kind)", "client": "cairn", "documents": contents.count, "chunks": chunks, "repeats": repeats,
                "documents_per_s": Bench.rounded(best), "chunks_per_s": Bench.rounded(best * Double(chunks) / Double(contents.count)),
            ]))
            let reference = try await Bench.runReference(
                python: venv + "/bin/python3",
                script: repository.appendingPathComponent("deploy/tools/ingestion_reference_bench.py").path,
                arguments: [kind, "\(repeats)"] + files.map(\.path)
            )
            lines += reference.split(separator: "\n").map(String.init)
        }
        return lines
    }
}
