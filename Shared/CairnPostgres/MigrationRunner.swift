import Logging
import PostgresNIO

/// Applies pending migrations under a Postgres advisory lock, so replicas starting at once
/// take turns: the first applies, the others wait, then find nothing left to do.
public struct MigrationRunner: Sendable {
    /// Arbitrary, fixed: advisory locks are scoped to the database, so one key serves every service.
    static let lockKey: Int64 = 0x0CA1_2D6D_1674_7105

    public enum MigrationError: Error, CustomStringConvertible {
        case badNumbering(expected: Int, found: Int)
        case diverged(version: Int, recorded: String, expected: String)
        case unknownVersion(Int)

        public var description: String {
            switch self {
            case .badNumbering(let expected, let found):
                "migrations must be numbered 1, 2, 3... without gaps: expected \(expected), found \(found)"
            case .diverged(let version, let recorded, let expected):
                "migration \(version) is recorded as \"\(recorded)\" but the code calls it \"\(expected)\": migrations are append-only"
            case .unknownVersion(let version):
                "the database has migration \(version), which this build does not know: is an older build starting against a newer schema?"
            }
        }
    }

    public let migrations: [Migration]

    public init(_ migrations: [Migration]) {
        self.migrations = migrations
    }

    /// Applies what is pending and returns the versions it applied.
    @discardableResult
    public func run(on client: PostgresClient, logger: Logger) async throws -> [Int] {
        for (index, migration) in migrations.enumerated() where migration.version != index + 1 {
            throw MigrationError.badNumbering(expected: index + 1, found: migration.version)
        }
        return try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            do {
                let applied = try await apply(on: connection, logger: logger)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                return applied
            } catch {
                // The lock is per session: release it so the pooled connection is clean.
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw error
            }
        }
    }

    private func apply(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
        var recorded: [Int: String] = [:]
        for try await (version, name) in try await connection.query(
            "SELECT version, name FROM schema_migrations", logger: logger
        ).decode((Int, String).self) {
            recorded[version] = name
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0.name) })
        if let stranger = recorded.keys.sorted().first(where: { known[$0] == nil }) {
            throw MigrationError.unknownVersion(stranger)
        }
        var applied: [Int] = []
        for migration in migrations {
            if let name = recorded[migration.version] {
                guard name == migration.name else {
                    throw MigrationError.diverged(version: migration.version, recorded: name, expected: migration.name)
                }
                continue
            }
            try await connection.withTransaction(logger: logger) { transaction in
                for statement in migration.statements {
                    try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await transaction.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger
                )
            }
            logger.info("migration applied", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }
}
