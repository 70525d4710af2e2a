import CairnTokenizer
import Dispatch
import MiniLM

/// all-MiniLM-L6-v2 in this process: the shared WordPiece tokenizer, then the model behind a
/// ``DynamicBatcher``. Needs no network.
public final class LocalEmbedder: Embedder {
    public static let aliases = ["sentence-transformers/all-MiniLM-L6-v2"]

    public let info: EmbeddingModelInfo
    /// Run it in the service group: it owns the forward-pass thread.
    public let batcher: DynamicBatcher
    private let tokenizer: BertTokenizer
    private let model: MiniLMModel
    private let maxTokens: Int
    private let tokenizing = DispatchQueue(label: "cairn.embedding.tokenizer", attributes: .concurrent)

    /// Texts up to this many UTF-8 bytes in all are tokenized where the caller runs; larger
    /// calls move to a queue of their own, so a big batch never holds a cooperative thread for
    /// milliseconds.
    static let inlineTokenizationBytes = 4_096

    public init(tokenizer: BertTokenizer, model: MiniLMModel, batching: BatchingSettings) {
        self.tokenizer = tokenizer
        self.model = model
        maxTokens = model.maxTokens
        info = EmbeddingModelInfo(
            id: MiniLMModel.name, aliases: Self.aliases, provider: ProviderSettings.localName, dimensions: model.dimensions,
            maxTokens: model.maxTokens, weightsSHA256: model.weightsChecksum
        )
        batcher = DynamicBatcher(settings: batching) { [model] sequences in model.embed(sequences) }
    }

    /// Another embedder over the same tokenizer and weights with a batcher of its own (one
    /// process serving several applications, as tests do, loads the weights once).
    public convenience init(sharing other: LocalEmbedder, batching: BatchingSettings) {
        self.init(tokenizer: other.tokenizer, model: other.model, batching: batching)
    }

    /// Loads the tokenizer and the weights from `directory`, off the cooperative pool.
    public static func load(directory: String, threads: Int, batching: BatchingSettings) async throws -> LocalEmbedder {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let tokenizer = try BertTokenizer(vocabularyFile: directory + "/vocab.txt")
                    let model = try MiniLMModel(directory: directory, threads: threads)
                    return LocalEmbedder(tokenizer: tokenizer, model: model, batching: batching)
                })
            }
        }
    }

    public func embed(_ texts: [String], priority: EmbeddingPriority) async throws -> Embeddings {
        let sequences = await encode(texts)
        let vectors = try await batcher.embed(sequences, priority: priority)
        // Billed and reported as the text's own tokens: [CLS] and [SEP] are the model's, not the caller's.
        return Embeddings(vectors: vectors, tokenCounts: sequences.map { max(0, $0.count - 2) })
    }

    private func encode(_ texts: [String]) async -> [[Int32]] {
        let encode: @Sendable () -> [[Int32]] = { [tokenizer, maxTokens] in texts.map { tokenizer.encode($0, maxLength: maxTokens) } }
        if texts.reduce(0, { $0 + $1.utf8.count }) <= Self.inlineTokenizationBytes { return encode() }
        return await withCheckedContinuation { continuation in
            tokenizing.async { continuation.resume(returning: encode()) }
        }
    }
}
