import CairnAuthKit
import CairnEvents
import ServiceKit

/// Everything vector-search reads at start-up: the shared keys, how it reaches auth and the
/// embedding service, the index parameters and its topics (README "Vector search").
public struct VectorSearchConfig: ServiceConfigurable {
    public var service: ServiceConfig
    /// Where auth's JWKS is, which tokens are accepted, and this service's client credentials
    /// (for calling the embedding service with query text).
    public var auth: AuthClientSettings
    /// The embedding service, which turns query text into a vector.
    public var embeddingURL: String
    public var embeddingTimeout: Duration
    /// HNSW and exact-scan parameters, shared by every collection.
    public var index: IndexSettings
    /// Consumer group of the chunk consumer (one per deployment).
    public var consumerGroup: String
    /// Topics: embedded chunks and deletions in, indexed confirmations out (tests use fresh ones).
    public var chunksTopic: String
    public var deletionsTopic: String
    public var indexedTopic: String
    /// Largest `top_k` a search may ask for.
    public var maxTopK: Int
    /// How often collections are checked for tombstones worth a rebuild.
    public var repairInterval: Duration

    public init(environment: [String: String]) throws(ConfigurationError) {
        var reader = ConfigReader(environment: environment)
        service = VectorSearchService.serviceConfig(reader: &reader)
        auth = AuthClientSettings(reader: &reader, serviceName: VectorSearchService.name, requireSecret: false)
        embeddingURL = reader.baseURL("CAIRN_EMBEDDING_URL", default: "http://127.0.0.1:8084")
        embeddingTimeout = .milliseconds(reader.int("CAIRN_SEARCH_EMBEDDING_TIMEOUT_MS", default: 5_000, range: 100...60_000))
        let hnsw = HNSWParameters(
            m: reader.int("CAIRN_SEARCH_HNSW_M", default: 16, range: 4...64),
            efConstruction: reader.int("CAIRN_SEARCH_HNSW_EF_CONSTRUCTION", default: 200, range: 16...2_000),
            efSearch: reader.int("CAIRN_SEARCH_HNSW_EF_SEARCH", default: 128, range: 10...4_000)
        )
        index = IndexSettings(
            hnsw: hnsw,
            exactBelow: reader.int("CAIRN_SEARCH_EXACT_BELOW", default: 2_000, range: 0...10_000_000),
            filteredExactBelow: reader.int("CAIRN_SEARCH_FILTERED_EXACT_BELOW", default: 20_000, range: 0...10_000_000),
            buildThreads: reader.int("CAIRN_SEARCH_BUILD_THREADS", default: 2, range: 1...64),
            rebuildDeletedRatio: Double(reader.int("CAIRN_SEARCH_REBUILD_DELETED_PERCENT", default: 20, range: 1...100)) / 100
        )
        consumerGroup = reader.string("CAIRN_SEARCH_CONSUMER_GROUP", default: "vector-search-chunks")
        chunksTopic = reader.string("CAIRN_SEARCH_CHUNKS_TOPIC", default: EventTopic.chunksEmbedded.name)
        deletionsTopic = reader.string("CAIRN_SEARCH_DELETIONS_TOPIC", default: EventTopic.documentsDeleted.name)
        indexedTopic = reader.string("CAIRN_SEARCH_INDEXED_TOPIC", default: EventTopic.documentsIndexed.name)
        maxTopK = reader.int("CAIRN_SEARCH_MAX_TOP_K", default: 100, range: 1...1_000)
        repairInterval = .seconds(reader.int("CAIRN_SEARCH_REPAIR_INTERVAL_SECONDS", default: 60, range: 1...86_400))
        try reader.finish()
    }
}
