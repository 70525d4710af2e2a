import CairnTokenizer

/// Counts tokens for budgeting. With the BERT vocabulary (the one embedding and ingestion use)
/// it counts WordPiece tokens, which track the BPE tokenizers of chat models within about 20%;
/// without it, one token per four bytes of UTF-8. Prompt budgets keep a margin for the difference.
public struct TokenEstimator: Sendable {
    private let tokenizer: BertTokenizer?

    public init(tokenizer: BertTokenizer?) {
        self.tokenizer = tokenizer
    }

    /// The vocabulary at `path`, or the byte estimate when there is none.
    public init(vocabularyFile path: String?) {
        self.tokenizer = path.flatMap { try? BertTokenizer(vocabularyFile: $0) }
    }

    public var isExact: Bool { tokenizer != nil }

    public func count(_ text: String) -> Int {
        if let tokenizer { return tokenizer.count(text) }
        return (text.utf8.count + 3) / 4
    }
}
