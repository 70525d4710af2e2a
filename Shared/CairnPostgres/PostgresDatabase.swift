import Logging
import PostgresNIO
import ServiceKit

/// A service's own Postgres database: the pooled client, its migrations and its readiness
/// check, packaged as a ``ServiceComponent`` for the application builder.
public struct PostgresDatabase: Sendable {
    public let client: PostgresClient
    public let settings: PostgresSettings
    public let migrations: MigrationRunner
    private let logger: Logger

    public init(settings: PostgresSettings, migrations: [Migration], logger: Logger) throws {
        self.settings = settings
        self.client = PostgresClient(configuration: try settings.clientConfiguration(), backgroundLogger: logger)
        self.migrations = MigrationRunner(migrations)
        self.logger = logger
    }

    /// Runs the client for the application's lifetime and migrates before the server starts.
    public var component: ServiceComponent {
        ServiceComponent(
            checks: [PostgresReadinessCheck(client: client)],
            services: [client],
            beforeServerStarts: [{ [migrations, client, logger] in try await migrations.run(on: client, logger: logger) }]
        )
    }
}

/// Readiness of Postgres: `SELECT 1` through the pool.
public struct PostgresReadinessCheck: ReadinessCheck {
    public let name = "postgres"
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "query failed" }
    }

    public func check() async throws {
        do {
            try await client.query("SELECT 1")
        } catch {
            // PSQLError's description is vague on purpose; keep it that way in the report.
            throw Unavailable()
        }
    }
}

extension PostgresDatabase {
    /// The database named by a service's configuration (which must declare `.postgres`).
    public init(config: ServiceConfig, migrations: [Migration], logger: Logger) throws {
        guard let settings = config.postgres else {
            throw ConfigurationError(problems: [.init(key: "CAIRN_POSTGRES_HOST", reason: "\(config.serviceName) does not declare a Postgres dependency")])
        }
        try self.init(settings: settings, migrations: migrations, logger: logger)
    }
}
