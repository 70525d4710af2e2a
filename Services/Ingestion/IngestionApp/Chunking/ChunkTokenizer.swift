import CairnTokenizer

/// What the chunker needs of a tokenizer: the word pieces of a text with their [start, end)
/// offsets in Unicode scalars, without special tokens. ``BertTokenizer`` (the embedding model's
/// own) is the one used in production, so a chunk's size means the same to ingestion and embedding.
public protocol ChunkTokenizer: Sendable {
    func tokenize(_ text: String) -> [Token]
}

extension BertTokenizer: ChunkTokenizer {}
