import AsyncHTTPClient
import CairnAuthKit
import CairnKafka
import CairnPostgres
import CairnServiceClients
import Hummingbird
import Logging
import ServiceKit

/// The vector-search service: tenant-isolated hybrid retrieval (README "Vector search").
/// Postgres `cairn_vectors` is the system of record; per-collection HNSW, exact and BM25
/// indexes live in memory, rebuilt from it at start-up and kept in step by the chunk consumer.
public enum VectorSearchService: CairnService {
    public static let name = "vector-search"
    public static let defaultPort = 8085
    public static let dependencies: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_vectors"), .kafka]

    public static func configuration(environment: [String: String]) throws(ConfigurationError) -> VectorSearchConfig {
        try VectorSearchConfig(environment: environment)
    }

    public static func buildApplication(config: VectorSearchConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let caller = ServiceCaller(tokens: ServiceTokenProvider(settings: config.auth))
        let embedder = EmbeddingServiceClient(baseURL: config.embeddingURL, caller: caller, timeout: config.embeddingTimeout)
        return try await buildApplication(
            config: config, verifier: config.auth.makeVerifier(logger: logger), embedder: embedder,
            registry: IndexRegistry(settings: config.index), logger: logger
        )
    }

    /// The same with the token verifier, the query embedder and the (empty) index registry
    /// given (tests and benchmarks look into the indexes).
    public static func buildApplication(
        config: VectorSearchConfig, verifier: TokenVerifier, embedder: any QueryEmbedder, registry: IndexRegistry, logger: Logger
    ) async throws -> some ApplicationProtocol {
        let database = try PostgresDatabase(config: config.service, migrations: VectorSearchMigrations.all, logger: logger)
        let store = ChunkStore(client: database.client, logger: logger)
        let engine = SearchEngine(registry: registry, embedder: embedder, logger: logger)
        let api = VectorSearchAPI(config: config, registry: registry, store: store, engine: engine, verifier: verifier, logger: logger)
        let kafka = config.service.kafka!
        let producer = try KafkaProducer(settings: kafka, clientID: name, logger: logger)
        let consumer = try KafkaConsumerWorker(
            settings: kafka,
            // No attempt deadline: graph inserts run on a thread cancellation cannot reach, and an
            // abandoned batch finishing beside its retry could put deleted chunks back in the index.
            configuration: .init(groupID: config.consumerGroup, topics: [config.chunksTopic, config.deletionsTopic], retry: .untilSuccess(), maxBatchSize: 100),
            dlq: producer, logger: logger,
            batchHandler: ChunkConsumer.handler(
                store: store, registry: registry, producer: producer, deletionsTopic: config.deletionsTopic,
                indexedTopic: config.indexedTopic, logger: logger
            )
        )
        let gate = StartupGate()
        // The consumer starts once the indexes hold everything Postgres does: what it then
        // applies lands on top, in order.
        let indexing = ServiceComponent(
            services: [producer, GatedService(consumer, after: gate),
                       IndexMaintenance(registry: registry, interval: config.repairInterval, logger: logger)],
            beforeServerStarts: [{
                try await IndexLoader.load(store: store, registry: registry, logger: logger)
                gate.open()
            }]
        )
        return ServiceApplication.build(
            config: config.service, context: VectorSearchRequestContext.self, logger: logger, components: [database.component, indexing]
        ) { router in
            api.addRoutes(to: router)
        }
    }
}
