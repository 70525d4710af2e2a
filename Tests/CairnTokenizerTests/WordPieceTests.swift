import CairnTokenizer
import Foundation
import Testing

/// WordPiece and the normaliser on tiny vocabularies, where every expected token is obvious.
@Suite struct WordPieceTests {
    static let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]

    func tokenizer(_ tokens: [String]) throws -> BertTokenizer {
        try BertTokenizer(tokens: Self.specials + tokens)
    }

    func ids(_ tokenizer: BertTokenizer, _ text: String) -> [String] {
        tokenizer.tokenize(text).map { tokenizer.token(for: $0.id) ?? "?" }
    }

    @Test func greedyLongestMatchFirst() throws {
        let tokenizer = try tokenizer(["ba", "b", "##na", "##n", "##a", "un", "##aff", "##able", "unaff", "##ab", "##le"])
        #expect(ids(tokenizer, "banana") == ["ba", "##na", "##na"])
        #expect(tokenizer.tokenize("banana") == [Token(id: 4, start: 0, end: 2), Token(id: 6, start: 2, end: 4),
                                                 Token(id: 6, start: 4, end: 6)])
        #expect(ids(tokenizer, "unaffable") == ["unaff", "##able"])
    }

    @Test func aWordWithAnUnmatchedPieceIsOneUnknownToken() throws {
        let tokenizer = try tokenizer(["ba", "##na", "x"])
        #expect(tokenizer.tokenize("nanana x") == [Token(id: 1, start: 0, end: 6), Token(id: 6, start: 7, end: 8)])
        #expect(ids(tokenizer, "banax") == ["[UNK]"])
    }

    @Test func wordsOfMoreThan100NormalisedScalarsAreUnknown() throws {
        let tokenizer = try tokenizer(["a", "##a"])
        #expect(tokenizer.tokenize(String(repeating: "a", count: 100)).count == 100)
        #expect(tokenizer.tokenize(String(repeating: "a", count: 101)) == [Token(id: 1, start: 0, end: 101)])
        // Accents are stripped before counting: 100 scalars after normalisation.
        #expect(tokenizer.tokenize(String(repeating: "a\u{301}", count: 100)).count == 100)
        // Marks normalised away still count for the span of an [UNK].
        #expect(tokenizer.tokenize(String(repeating: "A", count: 101) + "\u{301}") == [Token(id: 1, start: 0, end: 101)])
    }

    @Test func normalisationLowercasesStripsAccentsAndDropsControls() throws {
        let tokenizer = try tokenizer(["cafe", "naive", "ss", "ß", "ab"])
        #expect(ids(tokenizer, "CAFÉ Naïve ẞ") == ["cafe", "naive", "ß"])
        #expect(tokenizer.tokenize("a\u{0}\u{7}\u{200B}\u{FFFD}b") == [Token(id: 8, start: 0, end: 6)])
    }

    @Test func punctuationAndIdeographsAreWordsOfTheirOwn() throws {
        let tokenizer = try tokenizer(["a", "b", ",", "$", "東", "京", "「", "」"])
        #expect(ids(tokenizer, "a,b$a") == ["a", ",", "b", "$", "a"])
        #expect(ids(tokenizer, "a東京b") == ["a", "東", "京", "b"])
        #expect(ids(tokenizer, "「a」") == ["「", "a", "」"])
    }

    @Test func aVocabularyWithoutTheSpecialTokensIsRejected() {
        #expect(throws: BertTokenizerError.missingToken("[CLS]")) {
            try BertTokenizer(tokens: ["[PAD]", "[UNK]", "[SEP]", "a"])
        }
    }

    @Test func vocabularyFilesMayHaveCarriageReturnsAndTrailingSpaces() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vocab-\(UUID().uuidString).txt")
        try "[PAD]\r\n[UNK] \n[CLS]\n[SEP]\t\nhello\r\n##s".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let tokenizer = try BertTokenizer(vocabularyFile: url.path)
        #expect(tokenizer.vocabularySize == 6)
        #expect(tokenizer.unknownID == 1)
        #expect(tokenizer.tokenize("hellos") == [Token(id: 4, start: 0, end: 5), Token(id: 5, start: 5, end: 6)])
    }
}
