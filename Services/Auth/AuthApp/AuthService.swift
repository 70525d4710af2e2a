import CairnAuthKit
import CairnEvents
import CairnKafka
import CairnPostgres
import Hummingbird
import Logging
import ServiceKit

/// The auth service: tenants, users, roles, tokens, API keys, MFA and the audit log.
public enum AuthService: CairnService {
    public static let name = "auth"
    public static let defaultPort = 8081
    public static let dependencies: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_auth"), .kafka]

    public static func configuration(environment: [String: String]) throws(ConfigurationError) -> AuthConfig {
        try AuthConfig(environment: environment)
    }

    public static func buildApplication(config: AuthConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let database = try PostgresDatabase(config: config.service, migrations: AuthMigrations.all, logger: logger)
        let api = AuthAPI(config: config, client: database.client, logger: logger)
        let kafka = config.service.kafka!
        let producer = try KafkaProducer(settings: kafka, clientID: "auth", logger: logger)
        let gate = StartupGate()
        let relay = AuditRelay.make(client: database.client, producer: producer, interval: config.auditRelayInterval, logger: logger)
        let consumer = try KafkaConsumerWorker(
            settings: kafka,
            configuration: .init(
                groupID: config.auditConsumerGroup, topics: [EventTopic.audit.name], retry: .untilSuccess(), maxBatchSize: 200,
                attemptTimeout: KafkaConsumerWorker.Configuration.databaseAttemptTimeout
            ),
            dlq: producer, logger: logger, batchHandler: AuditConsumer.handler(client: database.client, logger: logger)
        )
        let startUp: @Sendable () async throws -> Void = {
            try await AuditPartitions.ensure(client: database.client, logger: logger)
            try await api.bootstrapSystemAdmin()
            _ = try await api.keys.signingKey()
            gate.open()
        }
        // The relay and the consumer start once migrations have run and the signing key exists.
        let messaging = ServiceComponent(
            services: [producer, GatedService(relay, after: gate), GatedService(consumer, after: gate),
                       GatedService(AuditPartitionKeeper(client: database.client, logger: logger), after: gate)],
            beforeServerStarts: [startUp]
        )
        return ServiceApplication.build(
            config: config.service, context: AuthRequestContext.self, logger: logger, components: [database.component, messaging]
        ) { router in
            api.addRoutes(to: router)
        }
    }
}

extension AuthAPI {
    func addRoutes(to router: Router<AuthRequestContext>) {
        let authenticated = router.group().add(middleware: AuthenticationMiddleware<AuthRequestContext>(verifier: verifier))
        addSessionRoutes(to: router, authenticated: authenticated)
        addKeyRoutes(to: router, authenticated: authenticated)
        addUserRoutes(to: authenticated)
        addAPIKeyRoutes(to: authenticated)
        addMFARoutes(to: authenticated)
        addAuditRoutes(to: authenticated)
    }

    /// Creates the first system admin (in the platform tenant) when configured and none exists.
    func bootstrapSystemAdmin() async throws {
        guard let admin = config.bootstrapAdmin, try await !accounts.hasSystemAdmin() else { return }
        guard let email = AccountInput.email(admin.email) else { throw AuthError.invalid("CAIRN_AUTH_BOOTSTRAP_ADMIN_EMAIL is not an email") }
        if let problem = PasswordPolicy.problem(with: admin.password, email: email) {
            throw AuthError.invalid("CAIRN_AUTH_BOOTSTRAP_ADMIN_PASSWORD: \(problem)")
        }
        let hash = try await passwords.hash(admin.password)
        try await client.transaction(logger: logger) { connection in
            let tenant = try await accounts.createTenant(name: "Cairn Platform", on: connection)
            let user = try await accounts.createUser(
                tenantID: tenant.id, email: email, displayName: "System admin", passwordHash: hash, role: .systemAdmin, on: connection
            )
            logger.info("system admin created", metadata: ["tenant_slug": "\(tenant.slug)", "user_id": "\(user.id)"])
        }
    }
}
