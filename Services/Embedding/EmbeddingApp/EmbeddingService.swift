import CairnAuthKit
import CairnKafka
import CairnRedis
import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle

/// The embedding service: all-MiniLM-L6-v2 (and configured remote providers) as an
/// OpenAI-compatible API and as the `ChunksCreated` → `ChunksEmbedded` worker (README "Embedding").
public enum EmbeddingService: CairnService {
    public static let name = "embedding"
    public static let defaultPort = 8084
    public static let dependencies: Set<ServiceConfig.Dependency> = [.redis, .kafka]

    public static func configuration(environment: [String: String]) throws(ConfigurationError) -> EmbeddingConfig {
        try EmbeddingConfig(environment: environment)
    }

    public static func buildApplication(config: EmbeddingConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let local = try await LocalEmbedder.load(directory: config.modelDirectory, threads: config.threads, batching: config.batching)
        return try buildApplication(config: config, verifier: config.auth.makeVerifier(logger: logger), local: local, logger: logger)
    }

    /// The same with the token verifier and the loaded model given (tests verify against keys
    /// they hold and load the weights once for many applications). The application runs
    /// `local`'s batcher: give each application its own ``LocalEmbedder``.
    public static func buildApplication(
        config: EmbeddingConfig, verifier: TokenVerifier, local: LocalEmbedder, logger: Logger
    ) throws -> some ApplicationProtocol {
        let kafka = config.service.kafka!
        let redis = RedisClient(
            settings: config.service.redis!,
            options: .init(poolSize: 2, connectTimeout: min(.milliseconds(250), config.cacheTimeout), commandTimeout: config.cacheTimeout),
            logger: logger
        )
        let cache = config.cacheTTL.map { EmbeddingCache(redis: redis, ttl: $0, logger: logger) }
        let remotes = RemoteProviders(settings: config.providers.remotes, logger: logger)
        let directory = EmbedderDirectory(
            local: CachedEmbedder(base: local, cache: cache),
            remotes: Dictionary(uniqueKeysWithValues: remotes.embedders.map { ($0.settings.name, CachedEmbedder(base: $0, cache: cache)) }),
            collections: config.providers.collections
        )
        let producer = try KafkaProducer(settings: kafka, clientID: "embedding", logger: logger)
        let usage = BufferedRecordSender(producer: producer, name: "embedding-usage", logger: logger)
        // Stopped in reverse: the worker finishes its batch while the batcher, the providers,
        // the producer and Redis are still there; the usage sender sends what is left.
        var services: [any Service] = [redis, producer, local.batcher, remotes, usage]
        if config.workerEnabled {
            let handler = ChunkEmbeddingHandler(
                directory: directory, producer: producer, embeddedTopic: config.embeddedTopic, usageTopic: config.usageTopic,
                maxRecordBytes: config.maxRecordBytes, logger: logger
            )
            services.append(try KafkaConsumerWorker(
                settings: kafka,
                configuration: .init(groupID: config.workerGroup, topics: [config.chunksTopic], retry: .untilSuccess(), maxBatchSize: config.workerBatchMessages),
                dlq: producer, logger: logger, batchHandler: handler.handle
            ))
        }
        logger.info("embedding models", metadata: [
            "local": "\(local.info.id) dimensions=\(local.info.dimensions) weights_sha256=\(local.info.weightsSHA256 ?? "-")",
            "remote": "\(config.providers.remotes.map(\.description).joined(separator: "; "))",
            "cache_ttl": "\(config.cacheTTL.map { "\($0)" } ?? "off")", "worker": "\(config.workerEnabled)",
        ])
        let api = EmbeddingsAPI(directory: directory, limits: config.limits, usage: usage, usageTopic: config.usageTopic, verifier: verifier)
        return ServiceApplication.build(
            config: config.service, context: IdentityRequestContext.self, logger: logger, components: [ServiceComponent(services: services)]
        ) { router in
            api.addRoutes(to: router)
        }
    }
}
