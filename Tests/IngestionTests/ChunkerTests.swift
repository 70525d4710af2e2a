import CairnTokenizer
import Foundation
import Testing

@testable import IngestionApp

/// Checks what must hold for any chunking of any document, and returns the chunks' token ranges
/// in the document's token sequence.
@discardableResult
func checkChunkInvariants(_ chunks: [Chunk], of document: ExtractedDocument, tokenizer: some ChunkTokenizer,
                          settings: ChunkingSettings, documentID: String, version: Int,
                          sourceLocation: SourceLocation = #_sourceLocation) -> [Range<Int>] {
    let tokens = tokenizer.tokenize(document.text)
    guard !tokens.isEmpty else {
        #expect(chunks.isEmpty, sourceLocation: sourceLocation)
        return []
    }
    var ranges: [Range<Int>] = []
    for (index, chunk) in chunks.enumerated() {
        #expect(chunk.ordinal == index, sourceLocation: sourceLocation)
        #expect(chunk.id == ChunkID.make(documentID: documentID, version: version, ordinal: index), sourceLocation: sourceLocation)
        #expect(chunk.text == scalarSlice(document.text, chunk.charStart..<chunk.charEnd), sourceLocation: sourceLocation)
        #expect(chunk.tokenCount + ChunkingSettings.specialTokens <= settings.size, "chunk \(index) has \(chunk.tokenCount) tokens",
                sourceLocation: sourceLocation)
        #expect(tokenizer.tokenize(chunk.text).count == chunk.tokenCount, "chunk \(index): \(chunk.text)", sourceLocation: sourceLocation)
        #expect(chunk.text.first?.isWhitespace == false && chunk.text.last?.isWhitespace == false, sourceLocation: sourceLocation)
        #expect(chunk.page == document.page(at: chunk.charStart), sourceLocation: sourceLocation)
        let first = tokens.firstIndex { $0.start >= chunk.charStart } ?? tokens.count
        let last = tokens.lastIndex { $0.end <= chunk.charEnd } ?? -1
        ranges.append(first..<(last + 1))
        #expect(last + 1 - first == chunk.tokenCount, sourceLocation: sourceLocation)
    }
    // Together the chunks cover every token, in order, each chunk adding new ones.
    #expect(ranges.first?.lowerBound == 0, sourceLocation: sourceLocation)
    #expect(ranges.last?.upperBound == tokens.count, sourceLocation: sourceLocation)
    for (previous, next) in zip(ranges, ranges.dropFirst()) {
        #expect(next.lowerBound <= previous.upperBound, "gap between chunks", sourceLocation: sourceLocation)
        #expect(next.lowerBound > previous.lowerBound && next.upperBound > previous.upperBound, sourceLocation: sourceLocation)
        #expect(previous.upperBound - next.lowerBound <= settings.overlap, "overlap too large", sourceLocation: sourceLocation)
    }
    return ranges
}

/// Deterministic pseudo-random prose: sentences of common and long words, in paragraphs.
struct ProseGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    static let words = ["the", "a", "retrieval", "of", "documents", "chunk", "tokenizer", "is", "and", "multitenant",
                        "platform", "answers", "questions", "with", "citations", "embedding", "in", "vector", "search", "fast"]

    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    mutating func sentence(words count: Int) -> String {
        var words = (0..<count).map { _ in Self.words[next(Self.words.count)] }
        words[0] = words[0].prefix(1).uppercased() + words[0].dropFirst()
        return words.joined(separator: " ") + "."
    }

    mutating func paragraph(sentences: Int) -> String {
        (0..<sentences).map { _ in sentence(words: 4 + next(8)) }.joined(separator: " ")
    }
}

@Suite("Chunker (stand-in tokenizer)")
struct ChunkerTests {
    let tokenizer = PieceTokenizer()

    func document(_ text: String, sections: [Section] = [], pageStarts: [Int] = []) -> ExtractedDocument {
        ExtractedDocument(text: TextNormalizer().normalize(text), sections: sections, pageStarts: pageStarts, format: .plainText)
    }

    func prose(paragraphs: Int, sentences: ClosedRange<Int>, seed: UInt64) -> String {
        var generator = ProseGenerator(seed: seed)
        return (0..<paragraphs).map { _ in
            generator.paragraph(sentences: sentences.lowerBound + generator.next(sentences.count))
        }.joined(separator: "\n\n")
    }

    @Test("invariants for many sizes and overlaps", arguments: [(16, 0), (16, 7), (40, 4), (64, 12), (256, 32), (256, 0)])
    func invariants(size: Int, overlap: Int) throws {
        let doc = document(prose(paragraphs: 30, sentences: 1...12, seed: 7))
        let settings = ChunkingSettings(size: size, overlap: overlap)
        #expect(settings.problems.isEmpty)
        let chunks = try Chunker(tokenizer: tokenizer, settings: settings).chunks(of: doc, documentID: "d", version: 3)
        #expect(chunks.count > 1)
        let ranges = checkChunkInvariants(chunks, of: doc, tokenizer: tokenizer, settings: settings, documentID: "d", version: 3)
        if overlap > 0 {
            // Overlap is there, about as large as asked (a sentence start may shorten it to half).
            let overlaps = zip(ranges, ranges.dropFirst()).map { $0.upperBound - $1.lowerBound }
            #expect(overlaps.allSatisfy { $0 >= 1 })
            #expect(overlaps.filter { $0 >= overlap / 2 }.count >= overlaps.count * 9 / 10, "\(overlaps)")
        }
    }

    @Test("chunks end at paragraph breaks when paragraphs fit")
    func paragraphBoundaries() throws {
        // One sentence per paragraph: at most 34 tokens, less than half of a chunk's 98.
        let doc = document(prose(paragraphs: 40, sentences: 1...1, seed: 11))
        let chunks = try Chunker(tokenizer: tokenizer, settings: ChunkingSettings(size: 100, overlap: 0)).chunks(of: doc, documentID: "d", version: 1)
        #expect(chunks.count > 5)
        let scalars = Array(doc.text.unicodeScalars)
        for chunk in chunks.dropLast() {
            #expect(Array(scalars[chunk.charEnd..<min(scalars.count, chunk.charEnd + 2)]) == ["\n", "\n"], "\(chunk.text)")
        }
        for chunk in chunks.dropFirst() {
            #expect(chunk.charStart >= 2 && Array(scalars[(chunk.charStart - 2)..<chunk.charStart]) == ["\n", "\n"])
        }
    }

    @Test("within a paragraph, chunks end at sentence ends and overlaps start at sentences or words")
    func sentenceBoundaries() throws {
        let doc = document(prose(paragraphs: 1, sentences: 60...60, seed: 5))
        let settings = ChunkingSettings(size: 64, overlap: 12)
        let chunks = try Chunker(tokenizer: tokenizer, settings: settings).chunks(of: doc, documentID: "d", version: 1)
        #expect(chunks.count > 5)
        for chunk in chunks { #expect(chunk.text.hasSuffix("."), "\(chunk.text)") }
        let scalars = Array(doc.text.unicodeScalars)
        for chunk in chunks.dropFirst() { #expect(scalars[chunk.charStart - 1] == " ") }
        checkChunkInvariants(chunks, of: doc, tokenizer: tokenizer, settings: settings, documentID: "d", version: 1)
    }

    @Test("without punctuation, chunks end between words, never inside one")
    func wordBoundaries() throws {
        var generator = ProseGenerator(seed: 3)
        let text = (0..<400).map { _ in ProseGenerator.words[generator.next(ProseGenerator.words.count)] }.joined(separator: " ")
        let doc = document(text)
        let settings = ChunkingSettings(size: 16, overlap: 3)
        let chunks = try Chunker(tokenizer: tokenizer, settings: settings).chunks(of: doc, documentID: "d", version: 1)
        let scalars = Array(doc.text.unicodeScalars)
        for chunk in chunks {
            #expect(chunk.charStart == 0 || scalars[chunk.charStart - 1] == " ")
            #expect(chunk.charEnd == scalars.count || scalars[chunk.charEnd] == " ")
        }
        checkChunkInvariants(chunks, of: doc, tokenizer: tokenizer, settings: settings, documentID: "d", version: 1)
    }

    @Test("a single word longer than a chunk is cut between its word pieces")
    func giantWord() throws {
        let doc = document("before " + String(repeating: "x", count: 203) + " after")
        let settings = ChunkingSettings(size: 16, overlap: 2)
        let chunks = try Chunker(tokenizer: tokenizer, settings: settings).chunks(of: doc, documentID: "d", version: 1)
        #expect(chunks.count >= 4)
        checkChunkInvariants(chunks, of: doc, tokenizer: tokenizer, settings: settings, documentID: "d", version: 1)
    }

    @Test("text without spaces (CJK) is cut at its full stops")
    func cjk() throws {
        let sentences = ["我们的文档包含中文文本。", "每个句子都应该被正确地分块。", "这是第三句话。", "检索需要好的分块。"]
        let doc = document((0..<12).map { sentences[$0 % sentences.count] }.joined())
        let settings = ChunkingSettings(size: 20, overlap: 4)
        let chunks = try Chunker(tokenizer: tokenizer, settings: settings).chunks(of: doc, documentID: "d", version: 1)
        for chunk in chunks { #expect(chunk.text.hasSuffix("。"), "\(chunk.text)") }
        checkChunkInvariants(chunks, of: doc, tokenizer: tokenizer, settings: settings, documentID: "d", version: 1)
    }

    @Test("headings: chunks carry the path of their content, never end on a heading, never overlap into the next section")
    func headings() async throws {
        var generator = ProseGenerator(seed: 9)
        var markdown = ""
        let outline: [(String, Int)] = [("Alpha", 1), ("Beta", 2), ("Gamma", 2), ("Delta", 1), ("Epsilon", 2), ("Zeta", 3)]
        for (name, level) in outline {
            let body = (0..<(20 + generator.next(60))).map { "\(name.lowercased())\($0)" }.joined(separator: " ")
            markdown += String(repeating: "#", count: level) + " \(name)\n\n\(body).\n\n"
        }
        let doc = try await DocumentExtractor().extract(Data(markdown.utf8), declaredType: "text/markdown")
        #expect(doc.sections.map(\.heading) == outline.map(\.0))
        let settings = ChunkingSettings(size: 32, overlap: 6)
        let chunks = try Chunker(tokenizer: tokenizer, settings: settings).chunks(of: doc, documentID: "d", version: 1)
        checkChunkInvariants(chunks, of: doc, tokenizer: tokenizer, settings: settings, documentID: "d", version: 1)
        let paths = ["alpha": ["Alpha"], "beta": ["Alpha", "Beta"], "gamma": ["Alpha", "Gamma"], "delta": ["Delta"],
                     "epsilon": ["Delta", "Epsilon"], "zeta": ["Delta", "Epsilon", "Zeta"]]
        let headingNames = Set(outline.map(\.0))
        for (previous, chunk) in zip([nil] + chunks.map(Optional.some), chunks) {
            let words = chunk.text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "." }).map(String.init)
            let content = try #require(words.first { !headingNames.contains($0) })
            let section = String(content.prefix { $0.isLetter })
            #expect(chunk.headingPath == paths[section], "\(chunk.text)")
            #expect(chunk.heading == paths[section]?.last)
            #expect(!headingNames.contains(words.last ?? ""), "ends on a heading: \(chunk.text)")
            // A chunk that ended just before a heading is followed by one that starts at it.
            if let previous, let next = doc.sections.map(\.range.lowerBound).first(where: { $0 > previous.charEnd }),
               scalarSlice(doc.text, previous.charEnd..<next).allSatisfy(\.isWhitespace) {
                #expect(chunk.charStart == next, "overlaps across a heading: \(chunk.text)")
            }
        }
    }

    @Test("pages: each chunk knows the page it starts and ends on")
    func pages() throws {
        let names = ["one", "two", "three"]
        var text = ""
        var starts: [Int] = []
        for name in names {
            if !text.isEmpty { text += "\n\n" }
            starts.append(text.unicodeScalars.count)
            text += (0..<40).map { _ in name }.joined(separator: " ") + "."
        }
        let doc = document(text, pageStarts: starts)
        let chunks = try Chunker(tokenizer: tokenizer, settings: ChunkingSettings(size: 24, overlap: 4)).chunks(of: doc, documentID: "d", version: 1)
        for chunk in chunks {
            let words = chunk.text.split(whereSeparator: { !$0.isLetter })
            #expect(chunk.page == names.firstIndex(of: String(words.first!))! + 1)
            #expect(chunk.lastPage == names.firstIndex(of: String(words.last!))! + 1)
        }
    }

    @Test("the chunk limit is enforced and named")
    func chunkLimit() throws {
        let doc = document(prose(paragraphs: 10, sentences: 3...6, seed: 1))
        let all = try Chunker(tokenizer: tokenizer, settings: ChunkingSettings(size: 32, overlap: 4)).chunks(of: doc, documentID: "d", version: 1)
        let exact = try Chunker(tokenizer: tokenizer, settings: ChunkingSettings(size: 32, overlap: 4, maxChunks: all.count))
            .chunks(of: doc, documentID: "d", version: 1)
        #expect(exact == all)
        let limit = all.count - 1
        #expect(throws: ExtractionError.tooManyChunks(limit: limit)) {
            try Chunker(tokenizer: tokenizer, settings: ChunkingSettings(size: 32, overlap: 4, maxChunks: limit)).chunks(of: doc, documentID: "d", version: 1)
        }
        #expect(ExtractionError.tooManyChunks(limit: limit).reason.contains("\(limit) chunks per document"))
    }

    @Test("deterministic: same input, same chunks; ids follow document and version")
    func determinism() throws {
        let doc = document(prose(paragraphs: 12, sentences: 2...9, seed: 21))
        let chunker = Chunker(tokenizer: tokenizer, settings: ChunkingSettings(size: 48, overlap: 8))
        let first = try chunker.chunks(of: doc, documentID: "doc", version: 1)
        #expect(try chunker.chunks(of: doc, documentID: "doc", version: 1) == first)
        let otherVersion = try chunker.chunks(of: doc, documentID: "doc", version: 2)
        #expect(otherVersion.map(\.text) == first.map(\.text))
        #expect(Set(otherVersion.map(\.id)).isDisjoint(with: first.map(\.id)))
    }

    @Test("no overlap when asked for none; no chunks for text without tokens")
    func edges() throws {
        let doc = document(prose(paragraphs: 5, sentences: 5...9, seed: 2))
        let chunks = try Chunker(tokenizer: tokenizer, settings: ChunkingSettings(size: 32, overlap: 0)).chunks(of: doc, documentID: "d", version: 1)
        for (previous, next) in zip(chunks, chunks.dropFirst()) { #expect(next.charStart > previous.charEnd) }
        #expect(try Chunker(tokenizer: tokenizer).chunks(of: document("   "), documentID: "d", version: 1).isEmpty)
        #expect(ChunkingSettings(size: 300, overlap: 200).problems.count == 2)
        #expect(ChunkingSettings().problems.isEmpty)
        #expect(ChunkingSettings().chunkerName == "wordpiece-256/32@1")
    }
}
