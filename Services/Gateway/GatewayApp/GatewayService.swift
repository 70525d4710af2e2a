import Hummingbird
import Logging
import ServiceKit

/// The gateway service. The one public door: authentication, rate limits, quotas and routing (issue 5).
/// So far it serves the kit's `/health`, `/ready` and `/metrics` only.
public enum GatewayService: CairnService {
    public static let name = "gateway"
    public static let defaultPort = 8080
    public static let dependencies: Set<ServiceConfig.Dependency> = [.redis, .kafka]

    public static func buildApplication(config: ServiceConfig, logger: Logger) async throws -> some ApplicationProtocol {
        ServiceApplication.build(config: config, logger: logger)
    }
}
