import CairnAuthKit
import CairnEvents
import CairnKafka
import CairnPostgres
import CairnTokenizer
import Hummingbird
import ServiceLifecycle
import Logging
import ServiceKit

/// The ingestion service: collections, documents in by upload or Kafka, extracted, chunked,
/// versioned and deleted, with their status (README "Ingestion").
public enum IngestionService: CairnService {
    public static let name = "ingestion"
    public static let defaultPort = 8083
    public static let dependencies: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_ingestion"), .kafka]

    public static func configuration(environment: [String: String]) throws(ConfigurationError) -> IngestionConfig {
        try IngestionConfig(environment: environment)
    }

    public static func buildApplication(config: IngestionConfig, logger: Logger) async throws -> some ApplicationProtocol {
        try await buildApplication(config: config, verifier: config.auth.makeVerifier(logger: logger), logger: logger)
    }

    /// The same with the token verifier given (tests verify against keys they hold).
    public static func buildApplication(config: IngestionConfig, verifier: TokenVerifier, logger: Logger) async throws -> some ApplicationProtocol {
        let database = try PostgresDatabase(config: config.service, migrations: IngestionMigrations.all, logger: logger)
        let client = database.client
        let outbox = IngestionOutbox(topics: .init(submitted: config.submittedTopic, chunks: config.chunksTopic, deleted: config.deletedTopic,
                                                   usage: config.usageTopic))
        let collections = CollectionStore(client: client, logger: logger)
        let api = IngestionAPI(config: config, collections: collections, documents: DocumentStore(client: client, outbox: outbox, logger: logger),
                               verifier: verifier, logger: logger)
        let kafka = config.service.kafka!
        let producer = try KafkaProducer(settings: kafka, clientID: "ingestion", logger: logger)
        var services: [any Service] = [
            producer,
            IngestionOutbox.relay(client: client, producer: producer, interval: config.relayInterval, logger: logger),
            RetractionRelease(client: client, interval: config.relayInterval, logger: logger),
        ]
        if config.consumers {
            let tokenizer = try BertTokenizer(vocabularyFile: config.modelDirectory + "/vocab.txt")
            let processor = DocumentProcessor(extractor: DocumentExtractor(limits: config.limits), tokenizer: tokenizer,
                                              executor: ExtractionExecutor(), maxChunks: config.limits.maxChunksPerDocument)
            let pipeline = SubmissionPipeline(client: client, collections: collections, processor: processor, outbox: outbox,
                                              batchLimits: (config.maxBatchChunks, config.maxBatchBytes), logger: logger)
            let confirmations = IndexedConfirmations(client: client, logger: logger)
            // A PDF may take its whole extraction budget before the chunks are written.
            let submissionTimeout = max(KafkaConsumerWorker.Configuration.databaseAttemptTimeout, config.limits.pdfTimeout * 2)
            services.append(try KafkaConsumerWorker(
                settings: kafka,
                configuration: .init(groupID: config.submittedGroup, topics: [config.submittedTopic], retry: .untilSuccess(), attemptTimeout: submissionTimeout),
                dlq: producer, logger: logger, handler: pipeline.handle
            ))
            services.append(try KafkaConsumerWorker(
                settings: kafka,
                configuration: .init(
                    groupID: config.indexedGroup, topics: [config.indexedTopic], retry: .untilSuccess(),
                    attemptTimeout: KafkaConsumerWorker.Configuration.databaseAttemptTimeout
                ),
                dlq: producer, logger: logger, handler: confirmations.handle
            ))
        }
        let gate = StartupGate()
        // The relay and consumers start once the migrations have run.
        let messaging = ServiceComponent(
            services: services.map { GatedService($0, after: gate) },
            beforeServerStarts: [{ gate.open() }]
        )
        return ServiceApplication.build(
            config: config.service, context: IngestionRequestContext.self, logger: logger, components: [database.component, messaging]
        ) { router in
            api.addRoutes(to: router)
        }
    }
}
