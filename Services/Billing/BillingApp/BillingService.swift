import CairnPostgres
import Hummingbird
import Logging
import ServiceKit

/// The billing service. Plans, subscriptions, usage metering and quotas (issue 6).
/// So far it serves the kit's `/health`, `/ready` and `/metrics` only.
public enum BillingService: CairnService {
    public static let name = "billing"
    public static let defaultPort = 8082
    public static let dependencies: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_billing"), .redis, .kafka]

    public static func buildApplication(config: ServiceConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let database = try PostgresDatabase(config: config, migrations: BillingMigrations.all, logger: logger)
        return ServiceApplication.build(config: config, logger: logger, components: [database.component])
    }
}
