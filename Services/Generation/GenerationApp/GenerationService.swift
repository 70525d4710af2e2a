import AsyncHTTPClient
import CairnAuthKit
import CairnKafka
import CairnRedis
import CairnServiceClients
import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle

/// The generation service: model providers behind one streaming protocol, routing with
/// fallbacks and circuit breakers, grounded prompts, safety, a response cache and usage events
/// (README "Generation").
public enum GenerationService: CairnService {
    public static let name = "generation"
    public static let defaultPort = 8086
    public static let dependencies: Set<ServiceConfig.Dependency> = [.redis, .kafka]

    public static func configuration(environment: [String: String]) throws(ConfigurationError) -> GenerationConfig {
        try GenerationConfig(environment: environment)
    }

    public static func buildApplication(config: GenerationConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let tokens = ServiceTokenProvider(settings: config.auth)
        let embedder = EmbeddingServiceClient(baseURL: config.embeddingURL, caller: ServiceCaller(tokens: tokens))
        return try buildApplication(config: config, verifier: config.auth.makeVerifier(logger: logger), embedder: embedder, logger: logger)
    }

    /// The same with the token verifier and the extractive generator's embedder given (tests).
    public static func buildApplication(
        config: GenerationConfig, verifier: TokenVerifier, embedder: (any SentenceEmbedder)?, http: HTTPClient = .shared, logger: Logger
    ) throws -> some ApplicationProtocol {
        let estimator = TokenEstimator(vocabularyFile: config.vocabularyFile)
        let redis = RedisClient(
            settings: config.service.redis!,
            options: .init(poolSize: 2, connectTimeout: min(.milliseconds(250), config.cacheTimeout), commandTimeout: config.cacheTimeout),
            logger: logger
        )
        let producer = try KafkaProducer(settings: config.service.kafka!, clientID: "generation", logger: logger)
        let sender = BufferedRecordSender(producer: producer, name: "generation-usage", logger: logger)
        let router = makeRouter(config: config, embedder: embedder, estimator: estimator, http: http, logger: logger)
        let engine = GenerationEngine(
            router: router, estimator: estimator, maxTokensLimit: config.maxTokensLimit, defaultMaxTokens: config.defaultMaxTokens,
            cache: config.cacheTTL.map { ResponseCache(redis: redis, ttl: $0, logger: logger) },
            usage: GenerationUsage(sender: sender, topic: config.usageTopic), logger: logger
        )
        logger.info("generation models", metadata: [
            "providers": "\(config.providers.map(\.description).joined(separator: "; "))",
            "models": "\(config.catalog.models.keys.sorted().joined(separator: ","))",
            "aliases": "\(config.catalog.aliases.map { "\($0.key)=\($0.value.joined(separator: ">"))" }.sorted().joined(separator: "; "))",
            "token_estimator": "\(estimator.isExact ? "bert-wordpiece" : "bytes/4")",
        ])
        let api = GenerationAPI(engine: engine, limits: config.limits, redactionTenants: config.redactionTenants, verifier: verifier)
        // Stopped in reverse: the usage sender sends what is left while the producer is still there.
        return ServiceApplication.build(
            config: config.service, context: IdentityRequestContext.self, logger: logger,
            components: [ServiceComponent(services: [redis, producer, sender])]
        ) { router in
            api.addRoutes(to: router)
        }
    }

    /// The providers of the configuration plus the built-in extractive generator, behind the router.
    public static func makeRouter(
        config: GenerationConfig, embedder: (any SentenceEmbedder)?, estimator: TokenEstimator, http: HTTPClient, logger: Logger
    ) -> ModelRouter {
        var providers: [any GenerationProvider] = [ExtractiveProvider(embedder: embedder, estimator: estimator, logger: logger)]
        for settings in config.providers {
            switch settings.kind {
            case .openAICompatible: providers.append(OpenAICompatibleProvider(settings: settings, http: http))
            case .anthropic: providers.append(AnthropicProvider(settings: settings, http: http))
            }
        }
        return ModelRouter(catalog: config.catalog, providers: providers, policy: config.routing, logger: logger)
    }
}
