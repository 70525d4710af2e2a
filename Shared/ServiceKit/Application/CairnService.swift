import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// What each service declares so that its `main` is one line: ``ServiceMain/run(_:)``.
public protocol CairnService: SendableMetatype {
    associatedtype App: ApplicationProtocol
    /// Everything the service reads at start-up: ``ServiceConfig`` alone, or a struct of the
    /// service's own that holds it beside the service's own keys.
    associatedtype Config: ServiceConfigurable = ServiceConfig
    /// `gateway`, `vector-search`, ...
    static var name: String { get }
    static var defaultPort: Int { get }
    static var dependencies: Set<ServiceConfig.Dependency> { get }
    /// Reads the configuration, listing every problem at once.
    static func configuration(environment: [String: String]) throws(ConfigurationError) -> Config
    static func buildApplication(config: Config, logger: Logger) async throws -> App
}

/// A service's configuration: the shared part is always there.
public protocol ServiceConfigurable: Sendable {
    var service: ServiceConfig { get }
}

extension ServiceConfig: ServiceConfigurable {
    public var service: ServiceConfig { self }
}

extension CairnService {
    /// The shared keys; services with keys of their own read them after this from the same reader.
    public static func serviceConfig(reader: inout ConfigReader) -> ServiceConfig {
        ServiceConfig(serviceName: name, defaultPort: defaultPort, dependencies: dependencies, reader: &reader)
    }
}

extension CairnService where Config == ServiceConfig {
    public static func configuration(environment: [String: String]) throws(ConfigurationError) -> ServiceConfig {
        try ServiceConfig(serviceName: name, defaultPort: defaultPort, dependencies: dependencies, environment: environment)
    }
}

/// The body of every service's `main`.
public enum ServiceMain {
    public static func run<S: CairnService>(_ service: S.Type, environment: [String: String] = ProcessInfo.processInfo.environment) async {
        let fullConfig: S.Config
        do {
            fullConfig = try S.configuration(environment: environment)
        } catch {
            error.exitProcess(program: S.name)
        }
        let config = fullConfig.service
        CairnLogging.bootstrap(service: S.name, level: config.logLevel)
        var logger = Logger(label: "cairn.\(S.name)")
        logger.logLevel = config.logLevel
        logger.info("starting", metadata: [
            "port": "\(config.http.port)", "postgres": "\(config.postgres?.description ?? "-")",
            "redis": "\(config.redis?.description ?? "-")", "kafka": "\(config.kafka?.description ?? "-")",
        ])
        do {
            let app = try await S.buildApplication(config: fullConfig, logger: logger)
            try await runUntilTerminated(app, grace: .seconds(config.http.shutdownGraceSeconds), logger: logger)
            logger.info("stopped")
        } catch {
            logger.critical("service failed", metadata: ["error": "\(String(reflecting: error))"])
            exit(1)
        }
    }

    /// Runs `app` until SIGTERM/SIGINT, then drains: the server stops accepting, in-flight
    /// requests finish, services stop in reverse order; after `grace` the rest is cancelled.
    public static func runUntilTerminated(_ app: some ApplicationProtocol, grace: Duration, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        )
        configuration.maximumGracefulShutdownDuration = grace
        try await ServiceGroup(configuration: configuration).run()
    }
}
