/// The uncased BERT tokenizer of all-MiniLM-L6-v2, token for token and offset for offset what
/// the HuggingFace fast tokenizer (`tokenizer.json`: `BertNormalizer` with lowercasing,
/// `BertPreTokenizer`, `WordPiece` with "##" and 100 characters per word, [CLS] … [SEP]) gives.
///
/// Like the reference, the texts "[PAD]", "[UNK]", "[CLS]", "[SEP]" and "[MASK]" written in the
/// input (exactly, case-sensitively) are those special tokens, not punctuation and a word.
///
/// Offsets count Unicode scalars of the original text (a Python `str` index, not UTF-16 or
/// bytes). A token that covers part of what one scalar normalised into (a Hangul syllable's
/// jamo, say) gets that whole scalar, and scalars the normaliser removed (control and format
/// characters, accents) belong to no token unless they sit inside one.
///
/// Cost: one pass over the text's UTF-8 with table lookups, no `String` per word or candidate
/// piece; a call allocates only its result and a few hundred bytes of scratch. English runs
/// at roughly 60-100 MB/s (15-20 M tokens/s) on one core of a release build. The first
/// tokenizer in a process also builds the shared per-scalar table (~0.1 s, longer in debug).
public struct BertTokenizer: Sendable {
    public let clsID: Int32
    public let sepID: Int32
    public let padID: Int32
    public let unknownID: Int32

    /// The reference's added tokens, matched in the raw text before normalisation.
    private static let addedTokenNames = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    private let vocabulary: Vocabulary
    private let addedTokens: [(bytes: [UInt8], id: Int32)]

    /// Loads `vocab.txt` (one token per line, the line number is the id).
    public init(vocabularyFile path: String) throws {
        try self.init(vocabulary: Vocabulary(contentsOfFile: path))
    }

    /// A tokenizer over the given tokens (`tokens[i]` has id `i`), for tests and tools.
    public init(tokens: [String]) throws {
        try self.init(vocabulary: Vocabulary(lines: tokens))
    }

    private init(vocabulary: Vocabulary) throws(BertTokenizerError) {
        func required(_ name: String) throws(BertTokenizerError) -> Int32 {
            guard let id = vocabulary.id(of: name) else { throw .missingToken(name) }
            return id
        }
        self.vocabulary = vocabulary
        clsID = try required("[CLS]")
        sepID = try required("[SEP]")
        padID = try required("[PAD]")
        unknownID = try required("[UNK]")
        addedTokens = Self.addedTokenNames.compactMap { name in
            vocabulary.id(of: name).map { (Array(name.utf8), $0) }
        }
        // Build the per-scalar table now rather than inside the first request.
        _ = ScalarTable.shared
    }

    /// Number of tokens in the vocabulary (ids are below it).
    public var vocabularySize: Int { vocabulary.tokens.count }

    /// The text's tokens without [CLS]/[SEP], untruncated, with offsets.
    public func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(text.utf8.count / 4 + 1)
        scan(text) { token in
            tokens.append(token)
            return true
        }
        return tokens
    }

    /// `tokenize(text).count` without building the array (chunk sizing).
    public func count(_ text: String) -> Int {
        var count = 0
        scan(text) { _ in
            count += 1
            return true
        }
        return count
    }

    /// Model input: [CLS] + the first `maxLength - 2` tokens + [SEP] (the reference's
    /// truncation with special tokens added; no padding). Stops tokenizing once full, so a long
    /// text costs only its first `maxLength` tokens. `maxLength` must be at least 2.
    public func encode(_ text: String, maxLength: Int = 256) -> [Int32] {
        precondition(maxLength >= 2, "maxLength must leave room for [CLS] and [SEP]")
        let limit = maxLength - 2
        var ids: [Int32] = [clsID]
        ids.reserveCapacity(min(maxLength, text.utf8.count / 4 + 2))
        if limit > 0 {
            scan(text) { token in
                ids.append(token.id)
                return ids.count - 1 < limit
            }
        }
        ids.append(sepID)
        return ids
    }

    /// The token with this id as written in the vocabulary ("##ing"), or nil.
    public func token(for id: Int32) -> String? {
        vocabulary.tokens.indices.contains(Int(id)) ? vocabulary.tokens[Int(id)] : nil
    }

    /// The id of a token as written in the vocabulary ("##ing"), or nil.
    public func id(of token: String) -> Int32? {
        vocabulary.id(of: token)
    }

    /// For debugging only: the tokens joined with spaces, "##" pieces glued to the one before,
    /// [CLS]/[SEP]/[PAD] left out. Not the reference decoder (no clean-up of spaces before
    /// punctuation), and normalisation is lossy anyway (lowercase, no accents).
    public func decode(_ ids: [Int32]) -> String {
        var text = ""
        for id in ids where id != clsID && id != sepID && id != padID {
            let token = self.token(for: id) ?? "[UNK]"
            if token.hasPrefix("##") {
                text += token.dropFirst(2)
            } else {
                if !text.isEmpty { text += " " }
                text += token
            }
        }
        return text
    }

    private func scan(_ text: String, _ emit: (Token) -> Bool) {
        var scanner = TokenScanner(vocabulary: vocabulary, unknownID: unknownID, addedTokens: addedTokens)
        var text = text
        text.withUTF8 { scanner.run($0, emit) }
    }
}
