import CairnAuthKit
import CairnEvents
import Foundation
import ServiceKit

/// Everything ingestion reads at start-up: the shared keys, how it reaches auth, plus its own
/// (README "Ingestion").
public struct IngestionConfig: ServiceConfigurable {
    public var service: ServiceConfig
    public var auth: AuthClientSettings
    /// The folder with the embedding model's `vocab.txt` (chunk sizes are counted in its tokens).
    public var modelDirectory: String
    /// Upload size, pages, chunks per document, allowed media types (see ``IngestionLimits``).
    public var limits: IngestionLimits
    /// Largest JSON body of the API's other routes (the shared `CAIRN_MAX_BODY_BYTES`).
    public var apiBodyLimit: Int
    /// Topics (tests use fresh ones).
    public var submittedTopic: String
    public var chunksTopic: String
    public var deletedTopic: String
    public var indexedTopic: String
    public var usageTopic: String
    /// Consumer groups of the submission and confirmation consumers.
    public var submittedGroup: String
    public var indexedGroup: String
    /// How often the outbox is published.
    public var relayInterval: Duration
    /// Largest `ChunksCreated` batch: chunks and bytes of chunk text. A ChunksEmbedded grows by
    /// 1,536 bytes of vector per chunk, so 200 chunks of text and metadata under 700 KB stay
    /// under embedding's 1,000,000-byte record limit.
    public var maxBatchChunks: Int
    public var maxBatchBytes: Int
    /// The model new collections embed with.
    public var defaultEmbeddingModel: String
    /// Whether the Kafka consumers run (`off`: an API-only replica).
    public var consumers: Bool

    /// Bytes a multipart form may add around its file (boundaries, part headers, small fields).
    public static let formOverheadBytes = 1 << 20

    public init(environment: [String: String]) throws(ConfigurationError) {
        var reader = ConfigReader(environment: environment)
        service = IngestionService.serviceConfig(reader: &reader)
        auth = AuthClientSettings(reader: &reader, serviceName: IngestionService.name, requireSecret: false)
        modelDirectory = reader.string("CAIRN_MODEL_DIR")
        if !modelDirectory.isEmpty, !FileManager.default.isReadableFile(atPath: modelDirectory + "/vocab.txt") {
            reader.report("CAIRN_MODEL_DIR", "\(modelDirectory) has no readable vocab.txt")
        }
        var limits = IngestionLimits()
        limits.maxUploadBytes = reader.int("CAIRN_INGESTION_MAX_UPLOAD_BYTES", default: limits.maxUploadBytes, range: 1_024...(512 << 20))
        limits.maxPages = reader.int("CAIRN_INGESTION_MAX_PAGES", default: limits.maxPages, range: 1...100_000)
        limits.maxChunksPerDocument = reader.int("CAIRN_INGESTION_MAX_CHUNKS", default: limits.maxChunksPerDocument, range: 1...1_000_000)
        limits.pdfTimeout = .seconds(reader.int("CAIRN_INGESTION_PDF_TIMEOUT_SECONDS", default: 30, range: 1...600))
        if let allowed = reader.optionalString("CAIRN_INGESTION_ALLOWED_TYPES") {
            let types = Set(allowed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            let known = Set(DocumentFormat.allCases.map(\.mediaType))
            if types.isEmpty || !types.isSubset(of: known) {
                reader.report("CAIRN_INGESTION_ALLOWED_TYPES", "a comma-separated subset of \(known.sorted().joined(separator: ", "))")
            } else {
                limits.allowedMediaTypes = types
            }
        }
        self.limits = limits
        apiBodyLimit = service.http.maxBodyBytes
        // Upload bodies are bounded by the upload limit in the upload route (while streaming,
        // with the limit in the answer); the kit's own check only has to let them through.
        service.http.maxBodyBytes = max(service.http.maxBodyBytes, 2 * (limits.maxUploadBytes + Self.formOverheadBytes))
        submittedTopic = reader.string("CAIRN_INGESTION_SUBMITTED_TOPIC", default: EventTopic.documentsSubmitted.name)
        chunksTopic = reader.string("CAIRN_INGESTION_CHUNKS_TOPIC", default: EventTopic.chunksCreated.name)
        deletedTopic = reader.string("CAIRN_INGESTION_DELETED_TOPIC", default: EventTopic.documentsDeleted.name)
        indexedTopic = reader.string("CAIRN_INGESTION_INDEXED_TOPIC", default: EventTopic.documentsIndexed.name)
        usageTopic = reader.string("CAIRN_INGESTION_USAGE_TOPIC", default: EventTopic.usage.name)
        submittedGroup = reader.string("CAIRN_INGESTION_SUBMITTED_GROUP", default: "ingestion-submitted")
        indexedGroup = reader.string("CAIRN_INGESTION_INDEXED_GROUP", default: "ingestion-indexed")
        relayInterval = .milliseconds(reader.int("CAIRN_INGESTION_OUTBOX_RELAY_MS", default: 100, range: 10...60_000))
        maxBatchChunks = reader.int("CAIRN_INGESTION_BATCH_MAX_CHUNKS", default: 200, range: 1...10_000)
        maxBatchBytes = reader.int("CAIRN_INGESTION_BATCH_MAX_BYTES", default: 700_000, range: 10_000...10_000_000)
        defaultEmbeddingModel = reader.string("CAIRN_INGESTION_DEFAULT_MODEL", default: "all-MiniLM-L6-v2")
        consumers = reader.oneOf("CAIRN_INGESTION_CONSUMERS", default: Switch.on) == .on
        try reader.finish()
    }

    enum Switch: String, CaseIterable { case on, off }
}
