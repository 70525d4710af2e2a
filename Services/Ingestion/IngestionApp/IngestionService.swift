import CairnPostgres
import Hummingbird
import Logging
import ServiceKit

/// The ingestion service. Documents in by upload or Kafka, chunked and versioned (issue 7).
/// So far it serves the kit's `/health`, `/ready` and `/metrics` only.
public enum IngestionService: CairnService {
    public static let name = "ingestion"
    public static let defaultPort = 8083
    public static let dependencies: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_ingestion"), .kafka]

    public static func buildApplication(config: ServiceConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let database = try PostgresDatabase(config: config, migrations: IngestionMigrations.all, logger: logger)
        return ServiceApplication.build(config: config, logger: logger, components: [database.component])
    }
}
