import CairnTokenizer
import Foundation
import Testing

@testable import IngestionApp

/// The chunker with the embedding model's own tokenizer, on every fixture format: chunk sizes
/// must hold under the tokenizer that embedding will apply to the chunk text.
@Suite("Chunker (real WordPiece tokenizer)")
struct ChunkerBertTests {
    static let fixtures: [(String, String)] = [
        ("multiscript.txt", "text/plain"), ("headings.md", "text/markdown"), ("page.html", "text/html"),
        ("records.json", "application/json"), ("multipage.pdf", "application/pdf"),
        ("sample.docx", DocumentFormat.docx.mediaType),
    ]

    @Test("every chunk fits the model with [CLS]/[SEP], maps back to its text and is re-tokenized to its count",
          arguments: [(256, 32), (64, 8), (24, 4)])
    func fixtures(size: Int, overlap: Int) async throws {
        let tokenizer = try RealTokenizer.load()
        let settings = ChunkingSettings(size: size, overlap: overlap)
        for (name, type) in Self.fixtures {
            let document = try await DocumentExtractor().extract(try Fixture.data(name), declaredType: type)
            let chunks = try Chunker(tokenizer: tokenizer, settings: settings).chunks(of: document, documentID: name, version: 1)
            #expect(!chunks.isEmpty, "\(name)")
            checkChunkInvariants(chunks, of: document, tokenizer: tokenizer, settings: settings, documentID: name, version: 1)
            for chunk in chunks {
                #expect(tokenizer.encode(chunk.text, maxLength: size).count == chunk.tokenCount + 2, "\(name): truncated by the model")
            }
        }
    }

    @Test("CJK, Arabic and emoji: chunks never split a character, and cover all the text")
    func scripts() async throws {
        let tokenizer = try RealTokenizer.load()
        let document = try await DocumentExtractor().extract(try Fixture.data("multiscript.txt"), declaredType: "text/plain")
        var boundaries: Set<Int> = [0]
        var offset = 0
        for character in document.text {
            offset += character.unicodeScalars.count
            boundaries.insert(offset)
        }
        for size in [12, 16, 24, 40] {
            let settings = ChunkingSettings(size: size, overlap: size / 4)
            let chunks = try Chunker(tokenizer: tokenizer, settings: settings).chunks(of: document, documentID: "scripts", version: 1)
            checkChunkInvariants(chunks, of: document, tokenizer: tokenizer, settings: settings, documentID: "scripts", version: 1)
            for chunk in chunks {
                #expect(boundaries.contains(chunk.charStart) && boundaries.contains(chunk.charEnd), "splits a character: \(chunk.text)")
            }
            let joined = chunks.map(\.text).joined(separator: " ")
            for piece in ["中文文本", "العربية", "👨\u{200D}👩\u{200D}👧\u{200D}👦", "🇯🇵", "🚀", "café"] {
                #expect(joined.contains(piece), "size \(size) lost \(piece)")
            }
        }
    }

    @Test("a real Markdown sample from deploy/samples, with headings and pages of code")
    func sample() throws {
        let tokenizer = try RealTokenizer.load()
        let url = Fixture.repository.appendingPathComponent("deploy/samples/003_7adecd06c171304c.txt")
        let data = try Data(contentsOf: url)
        let document = try MarkdownExtractor.extract(data, charset: nil, limits: IngestionLimits())
        #expect(document.sections.count > 5)
        let settings = ChunkingSettings()
        let chunks = try Chunker(tokenizer: tokenizer, settings: settings).chunks(of: document, documentID: "sample", version: 1)
        checkChunkInvariants(chunks, of: document, tokenizer: tokenizer, settings: settings, documentID: "sample", version: 1)
        #expect(chunks.allSatisfy { !$0.headingPath.isEmpty || $0.charStart < document.sections[0].range.lowerBound })
        // Chunks are well filled: on average more than half the budget.
        let average = Double(chunks.map(\.tokenCount).reduce(0, +)) / Double(chunks.count)
        #expect(average > Double(settings.size - 2) / 2, "average \(average) tokens")
    }
}
