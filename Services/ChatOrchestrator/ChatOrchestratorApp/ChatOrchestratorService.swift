import AsyncHTTPClient
import CairnAuthKit
import CairnKafka
import CairnOutbox
import CairnPostgres
import CairnRedis
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceKit

/// The chat-orchestrator service: assistants, conversations and the RAG pipeline over
/// vector-search and generation, with streaming, idempotent message creation, feedback and
/// usage events through a transactional outbox (README "Chat orchestrator").
///
/// Quotas: the gateway checks billing's quota before it forwards a chat request (its route
/// table names the quota), so the orchestrator trusts that check and does not ask again; what
/// it does is meter every answered message exactly once, and billing's counters catch up.
public enum ChatOrchestratorService: CairnService {
    public static let name = "chat-orchestrator"
    public static let defaultPort = 8087
    public static let dependencies: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_chat"), .redis, .kafka]

    public static func configuration(environment: [String: String]) throws(ConfigurationError) -> ChatOrchestratorConfig {
        try ChatOrchestratorConfig(environment: environment)
    }

    public static func buildApplication(config: ChatOrchestratorConfig, logger: Logger) async throws -> some ApplicationProtocol {
        try buildApplication(config: config, verifier: config.auth.makeVerifier(logger: logger), logger: logger)
    }

    /// The same with the token verifier given (tests).
    public static func buildApplication(
        config: ChatOrchestratorConfig, verifier: TokenVerifier, http: HTTPClient = .shared, logger: Logger
    ) throws -> some ApplicationProtocol {
        let database = try PostgresDatabase(config: config.service, migrations: ChatOrchestratorMigrations.all, logger: logger)
        let producer = try KafkaProducer(settings: config.service.kafka!, clientID: name, logger: logger)
        let relay = TopicOutbox.relay(client: database.client, producer: producer, interval: config.relayInterval, logger: logger)
        // The answer cache's Redis: short timeouts, so that a slow or absent Redis is a miss, not a wait.
        let redis = RedisClient(
            settings: config.service.redis!,
            options: .init(poolSize: 2, connectTimeout: min(.milliseconds(250), config.answerCacheTimeout), commandTimeout: config.answerCacheTimeout),
            logger: logger
        )
        let pipeline = ChatPipeline(
            retriever: VectorSearchClient(baseURL: config.vectorSearchURL, http: http, timeout: config.pipeline.retrievalTimeout),
            generator: GenerationClient(baseURL: config.generationURL, http: http, startTimeout: config.pipeline.generationStartTimeout),
            settings: config.pipeline, cache: config.answerCacheTTL.map { AnswerCache(redis: redis, ttl: $0, timeout: config.answerCacheTimeout, logger: logger) },
            tools: ToolCaller(settings: config.tools, logger: logger), logger: logger
        )
        let api = ChatOrchestratorAPI(
            assistants: AssistantStore(client: database.client, defaults: config.pipeline, logger: logger),
            conversations: ConversationStore(client: database.client, logger: logger),
            exchanges: ExchangeStore(client: database.client, usageTopic: config.usageTopic, logger: logger),
            feedback: FeedbackStore(client: database.client, logger: logger),
            pipeline: pipeline, settings: config.pipeline, verifier: verifier, logger: logger
        )
        // Stopped in reverse: the relay's last pass runs while the producer and Postgres are still there.
        // Redis only holds the answer cache: without it every answer is generated, so its outage
        // must not make the orchestrator unready (no Redis readiness check).
        var served = config.service
        served.redis = nil
        // WebSocket upgrades (`/v1/chat/ws`, `/v1/conversations/{id}/ws`) have a router of their own.
        let sockets = Router(context: ChatWebSocketContext.self)
        api.addWebSocketRoutes(to: sockets)
        return ServiceApplication.build(
            config: served, context: ChatRequestContext.self, logger: logger,
            components: [database.component, ServiceComponent(services: [redis, producer, relay])],
            server: .init { http1 in
                .http1WebSocketUpgrade(webSocketRouter: sockets, configuration: .init(http1: http1, ws: .init(maxFrameSize: ChatOrchestratorAPI.maxFrameBytes)))
            }
        ) { router in
            api.addRoutes(to: router)
        }
    }
}
