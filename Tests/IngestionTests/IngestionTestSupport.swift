import CairnTokenizer
import Foundation
import Testing

@testable import IngestionApp

/// The committed files in `Tests/Fixtures/ingestion` (made by its `make_fixtures.py`).
enum Fixture {
    /// The repository root (symlinks resolved, so a scratch package linking these files works too).
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = repository.appendingPathComponent("Tests/Fixtures/ingestion")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }
}

/// The embedding model's real WordPiece tokenizer, from `$CAIRN_MODEL_DIR/vocab.txt`
/// (`deploy/local/deps.sh` installs the model; `deploy/local/env.sh` sets the variable).
enum RealTokenizer {
    static let vocabularyPath: String? = ProcessInfo.processInfo.environment["CAIRN_MODEL_DIR"]
        .map { $0 + "/vocab.txt" }

    static func load() throws -> BertTokenizer {
        let path = try #require(vocabularyPath, "CAIRN_MODEL_DIR is not set: source deploy/local/env.sh")
        #expect(FileManager.default.fileExists(atPath: path), "no vocab.txt at \(path): run deploy/local/deps.sh")
        return try BertTokenizer(vocabularyFile: path)
    }
}

/// A stand-in tokenizer for chunker logic with predictable counts, split like BERT's
/// pre-tokenizer (whitespace, punctuation, CJK ideographs) with words longer than four scalars
/// cut into word pieces of four (so "tokenizer" is "toke", "##nize", "##r": one word, three tokens).
struct PieceTokenizer: ChunkTokenizer {
    var pieceLength = 4

    func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var wordStart: Int?
        func endWord(at end: Int) {
            guard let start = wordStart else { return }
            var piece = start
            while piece < end {
                let pieceEnd = min(end, piece + pieceLength)
                tokens.append(Token(id: Int32(tokens.count), start: piece, end: pieceEnd))
                piece = pieceEnd
            }
            wordStart = nil
        }
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if scalar.properties.isWhitespace {
                endWord(at: offset)
            } else if isPunctuation(scalar) || isIdeograph(scalar) {
                endWord(at: offset)
                tokens.append(Token(id: Int32(tokens.count), start: offset, end: offset + 1))
            } else if wordStart == nil {
                wordStart = offset
            }
        }
        endWord(at: text.unicodeScalars.count)
        return tokens
    }

    private func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if scalar.isASCII { return (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) }
        return ["!", "?", "。", "，", "、", "！", "？", "：", "؟", "،", "।", "—"].contains(scalar)
    }

    private func isIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
    }
}

/// Scalars `[start, end)` of `text`.
func scalarSlice(_ text: String, _ range: Range<Int>) -> String {
    let scalars = Array(text.unicodeScalars)
    return String(String.UnicodeScalarView(scalars[range]))
}

extension ExtractedDocument {
    /// Text of each section's heading line, from its range.
    func headingText(of section: Section) -> String {
        scalarSlice(text, section.range.lowerBound..<(section.range.lowerBound + section.heading.unicodeScalars.count))
    }
}

/// Runs `body` and returns the `ExtractionError` it throws (failing the test if it throws none).
func extractionError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> ExtractionError? {
    do {
        try await body()
        Issue.record("expected an ExtractionError, got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as ExtractionError {
        return error
    } catch {
        Issue.record("expected an ExtractionError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
