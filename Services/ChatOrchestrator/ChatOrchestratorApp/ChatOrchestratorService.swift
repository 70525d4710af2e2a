import CairnPostgres
import Hummingbird
import Logging
import ServiceKit

/// The chat-orchestrator service. Conversations, assistants and the RAG pipeline (issue 11).
/// So far it serves the kit's `/health`, `/ready` and `/metrics` only.
public enum ChatOrchestratorService: CairnService {
    public static let name = "chat-orchestrator"
    public static let defaultPort = 8087
    public static let dependencies: Set<ServiceConfig.Dependency> = [.postgres(database: "cairn_chat"), .kafka]

    public static func buildApplication(config: ServiceConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let database = try PostgresDatabase(config: config, migrations: ChatOrchestratorMigrations.all, logger: logger)
        return ServiceApplication.build(config: config, logger: logger, components: [database.component])
    }
}
