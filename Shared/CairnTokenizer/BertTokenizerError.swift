/// Why a `BertTokenizer` could not be made.
public enum BertTokenizerError: Error, Equatable, Sendable {
    /// The vocabulary file could not be read.
    case unreadableVocabulary(path: String, reason: String)
    /// The vocabulary lacks a token the tokenizer needs ("[UNK]", "[CLS]", "[SEP]", "[PAD]").
    case missingToken(String)
}
