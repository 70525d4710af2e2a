import CairnPostgres
import Hummingbird
import Logging
import ServiceKit

/// The auth service. Tenants, users, roles, tokens, API keys and the audit log (issue 4).
/// So far it serves the kit's `/health`, `/ready` and `/metrics` only.
public enum AuthService: CairnService {
    public static let name = "auth"
    public static let defaultPort = 8081
    public static let dependencies: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_auth"), .kafka]

    public static func buildApplication(config: ServiceConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let database = try PostgresDatabase(config: config, migrations: AuthMigrations.all, logger: logger)
        return ServiceApplication.build(config: config, logger: logger, components: [database.component])
    }
}
