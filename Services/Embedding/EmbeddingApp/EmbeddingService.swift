import Hummingbird
import Logging
import ServiceKit

/// The embedding service. all-MiniLM-L6-v2 embeddings as an API and a Kafka worker (issue 8).
/// So far it serves the kit's `/health`, `/ready` and `/metrics` only.
public enum EmbeddingService: CairnService {
    public static let name = "embedding"
    public static let defaultPort = 8084
    public static let dependencies: Set<ServiceConfig.Dependency> = [.redis, .kafka]

    public static func buildApplication(config: ServiceConfig, logger: Logger) async throws -> some ApplicationProtocol {
        ServiceApplication.build(config: config, logger: logger)
    }
}
