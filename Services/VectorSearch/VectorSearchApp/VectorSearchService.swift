import CairnPostgres
import Hummingbird
import Logging
import ServiceKit

/// The vector-search service. Tenant-isolated hybrid retrieval (issue 9).
/// So far it serves the kit's `/health`, `/ready` and `/metrics` only.
public enum VectorSearchService: CairnService {
    public static let name = "vector-search"
    public static let defaultPort = 8085
    public static let dependencies: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_vectors"), .kafka]

    public static func buildApplication(config: ServiceConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let database = try PostgresDatabase(config: config, migrations: VectorSearchMigrations.all, logger: logger)
        return ServiceApplication.build(config: config, logger: logger, components: [database.component])
    }
}
