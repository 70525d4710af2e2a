import Hummingbird
import Logging
import ServiceKit

/// The generation service. LLM providers, streaming and grounded prompts (issue 10).
/// So far it serves the kit's `/health`, `/ready` and `/metrics` only.
public enum GenerationService: CairnService {
    public static let name = "generation"
    public static let defaultPort = 8086
    public static let dependencies: Set<ServiceConfig.Dependency> = [.redis]

    public static func buildApplication(config: ServiceConfig, logger: Logger) async throws -> some ApplicationProtocol {
        ServiceApplication.build(config: config, logger: logger)
    }
}
