/// A collection's chunking settings.
public struct ChunkingSettings: Sendable, Equatable, Codable {
    /// Most tokens per chunk including the model's [CLS] and [SEP], so a chunk is never truncated
    /// by the embedding model. Default 256 (all-MiniLM-L6-v2's maximum sequence length).
    public var size: Int
    /// About how many tokens each chunk repeats from the end of the previous one. Default 32.
    public var overlap: Int
    /// Most chunks per document; more is ``ExtractionError/tooManyChunks(limit:)``. Default 5,000.
    public var maxChunks: Int

    /// Special tokens the model adds around every chunk ([CLS] and [SEP]).
    public static let specialTokens = 2
    /// Largest `size` the embedding model accepts.
    public static let modelMaxTokens = 256

    public init(size: Int = 256, overlap: Int = 32, maxChunks: Int = IngestionLimits().maxChunksPerDocument) {
        self.size = size
        self.overlap = overlap
        self.maxChunks = maxChunks
    }

    /// Why these settings cannot be used (empty when they can), for validating a collection.
    public var problems: [String] {
        var problems: [String] = []
        if size < 16 || size > Self.modelMaxTokens {
            problems.append("chunk size must be between 16 and \(Self.modelMaxTokens) tokens")
        }
        if overlap < 0 || overlap > (size - Self.specialTokens) / 2 {
            problems.append("chunk overlap must be between 0 and half the chunk size")
        }
        if maxChunks < 1 { problems.append("the chunk limit must be at least 1") }
        return problems
    }

    /// Names the algorithm and settings for `ChunksCreated.chunker`, so chunks can be redone.
    public var chunkerName: String { "wordpiece-\(size)/\(overlap)@1" }
}
