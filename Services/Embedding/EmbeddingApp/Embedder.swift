/// Text in, vectors and token counts out: the seam between the API and the worker on one side
/// and the models on the other (the local all-MiniLM-L6-v2, remote OpenAI-compatible providers,
/// the Redis cache in front of either).
public protocol Embedder: Sendable {
    var info: EmbeddingModelInfo { get }
    /// One vector per text, in order, each `info.dimensions` long and L2-normalised, with the
    /// number of tokens each text counted for.
    func embed(_ texts: [String], priority: EmbeddingPriority) async throws -> Embeddings
}

/// Who is waiting: a person's query goes before bulk work when both are queued.
public enum EmbeddingPriority: Sendable {
    /// API calls: someone is waiting on the answer.
    case interactive
    /// The Kafka worker: throughput matters, a few milliseconds do not.
    case bulk
}

/// The result of ``Embedder/embed(_:priority:)``.
public struct Embeddings: Sendable, Equatable {
    public var vectors: [[Float]]
    /// Tokens each text was embedded as, [CLS] and [SEP] not counted, after truncation.
    public var tokenCounts: [Int]

    public init(vectors: [[Float]], tokenCounts: [Int]) {
        self.vectors = vectors
        self.tokenCounts = tokenCounts
    }

    public var totalTokens: Int { tokenCounts.reduce(0, +) }
}

/// What a model is, as the metadata endpoint shows it and as events name it.
public struct EmbeddingModelInfo: Sendable, Equatable {
    /// The name answers and events carry (`all-MiniLM-L6-v2`).
    public var id: String
    /// Other names the API accepts for it.
    public var aliases: [String]
    /// `local`, or the configured name of a remote provider.
    public var provider: String
    public var dimensions: Int
    /// Longest input in tokens ([CLS] and [SEP] included); longer texts are truncated. Nil when
    /// the provider does not say.
    public var maxTokens: Int?
    /// Whether vectors are unit length (always true: remote vectors are normalised on arrival).
    public var normalized: Bool
    /// SHA-256 (hex) of the weights file, for the local model.
    public var weightsSHA256: String?

    public init(
        id: String, aliases: [String] = [], provider: String, dimensions: Int, maxTokens: Int?, normalized: Bool = true,
        weightsSHA256: String? = nil
    ) {
        self.id = id
        self.aliases = aliases
        self.provider = provider
        self.dimensions = dimensions
        self.maxTokens = maxTokens
        self.normalized = normalized
        self.weightsSHA256 = weightsSHA256
    }

    /// Whether the API's `model` names this model.
    func answers(to name: String) -> Bool {
        name == id || aliases.contains(name)
    }

    /// What identifies the vectors this model makes, for cache keys: the same text under the
    /// same namespace always has the same vector. The local model's includes its weights.
    var cacheNamespace: String {
        if let weightsSHA256 { return "\(provider):\(id)@\(weightsSHA256.prefix(16)):\(dimensions)" }
        return "\(provider):\(id):\(dimensions)"
    }
}
