import CairnTokenizer
import Foundation
import Testing

/// The public API's contract with the real vocabulary; fidelity to the reference is in
/// `DifferentialFixtureTests` and `GoldenFixtureTests`.
@Suite struct BertTokenizerTests {
    @Test func specialTokenIDsComeFromTheVocabulary() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        #expect(tokenizer.clsID == 101)
        #expect(tokenizer.sepID == 102)
        #expect(tokenizer.padID == 0)
        #expect(tokenizer.unknownID == 100)
        #expect(tokenizer.vocabularySize == 30522)
        #expect(tokenizer.token(for: 101) == "[CLS]")
        #expect(tokenizer.id(of: "##ing") != nil)
    }

    @Test func encodingTheEmptyTextGivesOnlyClsAndSep() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        #expect(tokenizer.encode("") == [101, 102])
        #expect(tokenizer.tokenize("").isEmpty)
        #expect(tokenizer.count(" \t\n\u{200B}") == 0)
    }

    @Test func encodeTruncatesToMaxLengthIncludingClsAndSep() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        let text = Array(repeating: "word", count: 1000).joined(separator: " ")
        let all = tokenizer.tokenize(text).map(\.id)
        #expect(all.count == 1000)
        let ids = tokenizer.encode(text)
        #expect(ids.count == 256)
        #expect(ids.first == tokenizer.clsID && ids.last == tokenizer.sepID)
        #expect(Array(ids[1..<255]) == Array(all.prefix(254)))
        #expect(tokenizer.encode(text, maxLength: 2) == [tokenizer.clsID, tokenizer.sepID])
        #expect(tokenizer.encode(text, maxLength: 5) == [tokenizer.clsID] + all.prefix(3) + [tokenizer.sepID])
        #expect(tokenizer.encode("short text", maxLength: 256).count == 4)
    }

    @Test func tokenizeIsDeterministicAcrossCallsInstancesAndThreads() async throws {
        let tokenizer = try TokenizerFixtures.minilm()
        let directory = try #require(ProcessInfo.processInfo.environment["CAIRN_MODEL_DIR"])
        let other = try BertTokenizer(vocabularyFile: directory + "/vocab.txt")
        let text = try String(contentsOf: TokenizerFixtures.url("minilm-golden.json"), encoding: .utf8)
        let expected = tokenizer.tokenize(text)
        #expect(expected.count > 1000)
        #expect(tokenizer.tokenize(text) == expected)
        #expect(other.tokenize(text) == expected)
        let concurrent = await withTaskGroup(of: [Token].self) { group in
            for _ in 0..<4 { group.addTask { tokenizer.tokenize(text) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(concurrent.allSatisfy { $0 == expected })
    }

    @Test func offsetsCountUnicodeScalarsOfTheOriginalText() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        // "👋🏽" is 2 scalars (4 UTF-16 units, 8 bytes); "é" written as e + U+0301 is 2 scalars.
        // As in the reference, a stripped accent belongs to a token only if it is inside it.
        let text = "👋🏽 Cafe\u{301} re\u{301}sume\u{301} ok"
        let tokens = tokenizer.tokenize(text)
        let scalars = Array(text.unicodeScalars)
        let pieces = tokens.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
        #expect(pieces.map { Array($0.unicodeScalars) } == ["👋🏽", "Cafe", "re\u{301}sume", "ok"].map { Array($0.unicodeScalars) })
        #expect(tokens.map(\.id) == [tokenizer.unknownID, tokenizer.id(of: "cafe"), tokenizer.id(of: "resume"), tokenizer.id(of: "ok")])
    }

    @Test func addedTokensWrittenInTheTextAreSpecialTokens() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        let tokens = tokenizer.tokenize("a[SEP]b [mask]")
        #expect(tokens.map(\.id) == [tokenizer.id(of: "a"), 102, tokenizer.id(of: "b"),
                                     tokenizer.id(of: "["), tokenizer.id(of: "mask"), tokenizer.id(of: "]")])
        #expect(tokens[1] == Token(id: 102, start: 1, end: 6))
    }

    @Test func decodeJoinsContinuationPieces() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        #expect(tokenizer.decode(tokenizer.encode("Tokenization isn't HARD")) == "tokenization isn ' t hard")
    }

    @Test func countEqualsTheNumberOfTokens() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        let text = "Ingestion counts chunk sizes with count(_:), naïvely 東京 😀 [MASK]"
        #expect(tokenizer.count(text) == tokenizer.tokenize(text).count)
    }

    @Test func anUnreadableVocabularyFileThrows() {
        #expect(throws: BertTokenizerError.self) {
            try BertTokenizer(vocabularyFile: "/nonexistent/vocab.txt")
        }
    }
}
