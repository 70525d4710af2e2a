import Logging
import PostgresNIO
import ServiceKit
import CairnPostgres

/// A fresh database per test suite on the local test server, dropped afterwards.
///
/// It refuses any host but the loopback: creating and dropping databases is only ever done to a
/// server the test run started itself.
public enum TestDatabase {
    public struct NotLocal: Error, CustomStringConvertible {
        public var host: String
        public var description: String { "refusing to create or drop test databases on non-local host \(host)" }
    }

    static let loopback: Set<String> = ["127.0.0.1", "localhost", "::1"]

    /// Throws ``NotLocal`` unless `host` is the loopback.
    public static func ensureLocal(_ host: String) throws {
        guard loopback.contains(host.lowercased()) else { throw NotLocal(host: host) }
    }

    /// Settings for a new, empty database named `cairn_test_<prefix>_<random>`.
    public static func settings(prefix: String) -> PostgresSettings {
        PostgresSettings(
            host: TestInfra.postgresHost, port: TestInfra.postgresPort, user: TestInfra.postgresUser,
            database: "cairn_test_\(prefix)_\(TestInfra.uniqueSuffix())"
        )
    }

    /// Creates a fresh database, runs `body` with its settings, then drops it.
    public static func withFresh<T>(
        prefix: String, _ body: (PostgresSettings) async throws -> T
    ) async throws -> T {
        let settings = settings(prefix: prefix)
        try ensureLocal(settings.host)
        try await admin(settings) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(settings.database)\""))
        }
        do {
            let result = try await body(settings)
            try await drop(settings)
            return result
        } catch {
            try? await drop(settings)
            throw error
        }
    }

    /// Drops a test database; only names made by ``settings(prefix:)`` on the loopback.
    public static func drop(_ settings: PostgresSettings) async throws {
        try ensureLocal(settings.host)
        precondition(settings.database.hasPrefix("cairn_test_"), "only test databases are dropped")
        try await admin(settings) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(settings.database)\" WITH (FORCE)"))
        }
    }

    /// Runs `body` with a client on the maintenance database `postgres` of the same server.
    static func admin(_ settings: PostgresSettings, _ body: (PostgresClient) async throws -> Void) async throws {
        var maintenance = settings
        maintenance.database = "postgres"
        try await withPostgresClient(maintenance, body)
    }
}

/// Runs a `PostgresClient` for the duration of `body`.
public func withPostgresClient<T>(
    _ settings: PostgresSettings, logger: Logger = TestInfra.logger(level: .error), _ body: (PostgresClient) async throws -> T
) async throws -> T {
    let client = PostgresClient(configuration: try settings.clientConfiguration(), backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}
