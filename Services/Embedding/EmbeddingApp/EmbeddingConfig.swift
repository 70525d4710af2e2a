import CairnAuthKit
import CairnEvents
import Foundation
import ServiceKit

/// Everything embedding reads at start-up, in one place: the shared keys, how it reaches auth,
/// and its own (README "Embedding", key by key).
public struct EmbeddingConfig: ServiceConfigurable {
    public var service: ServiceConfig
    /// Where auth's JWKS is and which tokens embedding accepts.
    public var auth: AuthClientSettings
    /// The folder holding `vocab.txt` and `model.safetensors` of all-MiniLM-L6-v2
    /// (`CAIRN_MODEL_DIR`, the key every service that reads the model's files shares).
    public var modelDirectory: String
    /// Cores one forward pass uses.
    public var threads: Int
    /// How concurrent texts are gathered into forward passes.
    public var batching: BatchingSettings
    /// What one `POST /v1/embeddings` may ask for.
    public var limits: EmbeddingLimits
    /// How long a cached vector lives in Redis; nil: no cache.
    public var cacheTTL: Duration?
    /// Redis round trips of the cache are bounded by this; a slower Redis is a miss.
    public var cacheTimeout: Duration
    /// The ChunksCreated → ChunksEmbedded worker (off: an API-only replica).
    public var workerEnabled: Bool
    /// Topics: chunks in, embedded chunks out, usage out (tests use fresh ones).
    public var chunksTopic: String
    public var embeddedTopic: String
    public var usageTopic: String
    /// Consumer group of the worker (one per deployment).
    public var workerGroup: String
    /// ChunksCreated messages handed to the worker's handler at once (their chunks are embedded together).
    public var workerBatchMessages: Int
    /// Largest ChunksEmbedded record produced; a batch whose output would be larger goes to the DLQ.
    public var maxRecordBytes: Int
    /// Remote OpenAI-compatible providers and which collections use them.
    public var providers: ProviderSettings

    public init(environment: [String: String]) throws(ConfigurationError) {
        var reader = ConfigReader(environment: environment)
        service = EmbeddingService.serviceConfig(reader: &reader)
        auth = AuthClientSettings(reader: &reader, serviceName: EmbeddingService.name, requireSecret: false)
        modelDirectory = reader.string("CAIRN_MODEL_DIR")
        if !modelDirectory.isEmpty {
            for file in ["vocab.txt", "model.safetensors"] where !FileManager.default.isReadableFile(atPath: modelDirectory + "/" + file) {
                reader.report("CAIRN_MODEL_DIR", "\(modelDirectory) has no readable \(file)")
            }
        }
        threads = reader.int("CAIRN_EMBEDDING_THREADS", default: 2, range: 1...64)
        batching = BatchingSettings(
            window: .milliseconds(reader.int("CAIRN_EMBEDDING_BATCH_WINDOW_MS", default: 2, range: 0...100)),
            maxBatch: reader.int("CAIRN_EMBEDDING_MAX_BATCH", default: 32, range: 1...256)
        )
        limits = EmbeddingLimits(
            maxInputs: reader.int("CAIRN_EMBEDDING_MAX_INPUTS", default: 256, range: 1...4_096),
            maxInputCharacters: reader.int("CAIRN_EMBEDDING_MAX_INPUT_CHARS", default: 16_384, range: 1...1_000_000),
            maxRequestCharacters: reader.int("CAIRN_EMBEDDING_MAX_REQUEST_CHARS", default: 524_288, range: 1...100_000_000)
        )
        let ttl = reader.int("CAIRN_EMBEDDING_CACHE_TTL_SECONDS", default: 604_800, range: 0...31_536_000)
        cacheTTL = ttl == 0 ? nil : .seconds(ttl)
        cacheTimeout = .milliseconds(reader.int("CAIRN_EMBEDDING_CACHE_TIMEOUT_MS", default: 100, range: 5...5_000))
        workerEnabled = reader.oneOf("CAIRN_EMBEDDING_WORKER", default: Switch.on) == .on
        chunksTopic = reader.string("CAIRN_EMBEDDING_CHUNKS_TOPIC", default: EventTopic.chunksCreated.name)
        embeddedTopic = reader.string("CAIRN_EMBEDDING_EMBEDDED_TOPIC", default: EventTopic.chunksEmbedded.name)
        usageTopic = reader.string("CAIRN_EMBEDDING_USAGE_TOPIC", default: EventTopic.usage.name)
        workerGroup = reader.string("CAIRN_EMBEDDING_WORKER_GROUP", default: "embedding-chunks")
        workerBatchMessages = reader.int("CAIRN_EMBEDDING_WORKER_BATCH_MESSAGES", default: 16, range: 1...1_000)
        maxRecordBytes = reader.int("CAIRN_EMBEDDING_MAX_RECORD_BYTES", default: 1_000_000, range: 10_000...100_000_000)
        providers = ProviderSettings(reader: &reader, key: "CAIRN_EMBEDDING_PROVIDERS")
        try reader.finish()
    }

    /// `on` / `off`.
    enum Switch: String, CaseIterable {
        case on, off
    }
}

/// How the dynamic batcher gathers texts into forward passes.
public struct BatchingSettings: Sendable, Equatable {
    /// How long the first queued text waits for company before its pass starts (texts that
    /// queued while a pass ran do not wait again).
    public var window: Duration
    /// Most sequences in one forward pass.
    public var maxBatch: Int

    public init(window: Duration, maxBatch: Int) {
        self.window = window
        self.maxBatch = max(1, maxBatch)
    }
}

/// The limits of one `POST /v1/embeddings`; characters are Unicode scalars (code points).
public struct EmbeddingLimits: Sendable, Equatable {
    public var maxInputs: Int
    public var maxInputCharacters: Int
    public var maxRequestCharacters: Int

    public init(maxInputs: Int, maxInputCharacters: Int, maxRequestCharacters: Int) {
        self.maxInputs = maxInputs
        self.maxInputCharacters = maxInputCharacters
        self.maxRequestCharacters = maxRequestCharacters
    }
}
