import CairnAuthKit
import CairnEvents
import CairnKafka
import CairnPostgres
import CairnRedis
import Hummingbird
import Logging
import ServiceKit

/// The billing service: plans, subscriptions, the exactly-once usage ledger, quota checks,
/// quota warnings and usage reports (README "Billing").
public enum BillingService: CairnService {
    public static let name = "billing"
    public static let defaultPort = 8082
    public static let dependencies: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_billing"), .redis, .kafka]

    public static func configuration(environment: [String: String]) throws(ConfigurationError) -> BillingConfig {
        try BillingConfig(environment: environment)
    }

    public static func buildApplication(config: BillingConfig, logger: Logger) async throws -> some ApplicationProtocol {
        try await buildApplication(config: config, verifier: config.auth.makeVerifier(logger: logger), logger: logger)
    }

    /// The same with the token verifier given (tests verify against keys they hold).
    public static func buildApplication(config: BillingConfig, verifier: TokenVerifier, logger: Logger) async throws -> some ApplicationProtocol {
        let database = try PostgresDatabase(config: config.service, migrations: BillingMigrations.all, logger: logger)
        let redis = RedisClient(settings: config.service.redis!, logger: logger)
        let counters = QuotaCache(redis: redis, logger: logger)
        let api = BillingAPI(config: config, client: database.client, redis: redis, counters: counters, verifier: verifier, logger: logger)
        let kafka = config.service.kafka!
        let producer = try KafkaProducer(settings: kafka, clientID: "billing", logger: logger)
        let ledger = UsageLedger(client: database.client, resolver: api.resolver, warningsTopic: config.warningsTopic, logger: logger)
        let consumer = try KafkaConsumerWorker(
            settings: kafka,
            configuration: .init(
                groupID: config.usageGroup, topics: [config.usageTopic], retry: .untilSuccess(), maxBatchSize: 500,
                attemptTimeout: KafkaConsumerWorker.Configuration.databaseAttemptTimeout
            ),
            dlq: producer, logger: logger, batchHandler: UsageConsumer.handler(ledger: ledger, cache: counters, logger: logger)
        )
        let relay = Outbox.relay(client: database.client, producer: producer, interval: config.relayInterval, logger: logger)
        let gate = StartupGate()
        // The consumer and the relay start once the migrations have run and the default plan
        // is known to exist (without it no event of a tenant without a subscription applies).
        let messaging = ServiceComponent(
            checks: [redis.readinessCheck],
            services: [redis, producer, counters, GatedService(relay, after: gate), GatedService(consumer, after: gate)],
            beforeServerStarts: [{
                try await api.resolver.requireDefaultPlan()
                gate.open()
            }]
        )
        return ServiceApplication.build(
            config: config.service, context: BillingRequestContext.self, logger: logger, components: [database.component, messaging]
        ) { router in
            api.addRoutes(to: router)
        }
    }
}
