import AsyncHTTPClient
import CairnAuthKit
import CairnKafka
import CairnOutbox
import CairnPostgres
import Hummingbird
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
    public static let dependencies: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_chat"), .kafka]

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
        let pipeline = ChatPipeline(
            retriever: VectorSearchClient(baseURL: config.vectorSearchURL, http: http, timeout: config.pipeline.retrievalTimeout),
            generator: GenerationClient(baseURL: config.generationURL, http: http, startTimeout: config.pipeline.generationStartTimeout),
            settings: config.pipeline, logger: logger
        )
        let api = ChatOrchestratorAPI(
            assistants: AssistantStore(client: database.client, defaults: config.pipeline, logger: logger),
            conversations: ConversationStore(client: database.client, logger: logger),
            exchanges: ExchangeStore(client: database.client, usageTopic: config.usageTopic, logger: logger),
            feedback: FeedbackStore(client: database.client, logger: logger),
            pipeline: pipeline, settings: config.pipeline, verifier: verifier, logger: logger
        )
        // Stopped in reverse: the relay's last pass runs while the producer and Postgres are still there.
        return ServiceApplication.build(
            config: config.service, context: ChatRequestContext.self, logger: logger,
            components: [database.component, ServiceComponent(services: [producer, relay])]
        ) { router in
            api.addRoutes(to: router)
        }
    }
}
