import Logging
import PostgresNIO
import Testing
@testable import CairnPostgres
import CairnTesting
import ServiceKit

@Suite struct MigrationRunnerTests {
    /// Migration 2 inserts a row, so applying it twice would leave two rows behind.
    static let migrations = [
        Migration(1, "create_widgets", ["CREATE TABLE widgets (id bigserial PRIMARY KEY, name text NOT NULL)"]),
        Migration(2, "seed_widget", ["INSERT INTO widgets (name) VALUES ('first')"]),
        Migration(3, "add_colour", ["ALTER TABLE widgets ADD COLUMN colour text", "UPDATE widgets SET colour = 'red'"]),
    ]

    @Test func concurrentStartUpsApplyEachMigrationExactlyOnce() async throws {
        try await TestDatabase.withFresh(prefix: "migrate") { settings in
            // Eight "replicas", each with its own client and connection, start at once.
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await withPostgresClient(settings) { client in
                            try await MigrationRunner(Self.migrations).run(on: client, logger: TestInfra.logger(level: .error))
                        }
                    }
                }
                var all: [[Int]] = []
                for try await versions in group { all.append(versions) }
                return all
            }
            #expect(applied.flatMap { $0 }.sorted() == [1, 2, 3], "each version applied by exactly one replica")
            #expect(applied.filter { !$0.isEmpty }.count == 1)

            try await withPostgresClient(settings) { client in
                let rows = try await client.query("SELECT count(*), min(colour) FROM widgets").collect()
                let (count, colour) = try rows[0].decode((Int, String?).self)
                #expect(count == 1)
                #expect(colour == "red")
                let recorded = try await client.query("SELECT version FROM schema_migrations ORDER BY version")
                    .collect().map { try $0.decode(Int.self) }
                #expect(recorded == [1, 2, 3])
                // A later start-up finds nothing to do.
                #expect(try await MigrationRunner(Self.migrations).run(on: client, logger: TestInfra.logger()) == [])
            }
        }
    }

    @Test func aFailingMigrationRollsBackAndIsRetriedNextTime() async throws {
        try await TestDatabase.withFresh(prefix: "migrate") { settings in
            try await withPostgresClient(settings) { client in
                let broken = Self.migrations + [Migration(4, "broken", ["CREATE TABLE gadgets (id int)", "SELECT * FROM missing_table"])]
                await #expect(throws: (any Error).self) {
                    try await MigrationRunner(broken).run(on: client, logger: TestInfra.logger(level: .critical))
                }
                let gadgets = try await client.query("SELECT to_regclass('gadgets') IS NULL").collect()
                #expect(try gadgets[0].decode(Bool.self), "the failed migration's first statement was rolled back")
                let fixed = Self.migrations + [Migration(4, "broken", ["CREATE TABLE gadgets (id int)"])]
                #expect(try await MigrationRunner(fixed).run(on: client, logger: TestInfra.logger()) == [4])
            }
        }
    }

    @Test func refusesAHistoryThatDiverges() async throws {
        try await TestDatabase.withFresh(prefix: "migrate") { settings in
            try await withPostgresClient(settings) { client in
                try await MigrationRunner(Self.migrations).run(on: client, logger: TestInfra.logger())
                let renamed = [Self.migrations[0], Migration(2, "something_else", []), Self.migrations[2]]
                await #expect(throws: MigrationRunner.MigrationError.self) {
                    try await MigrationRunner(renamed).run(on: client, logger: TestInfra.logger(level: .critical))
                }
                let older = Array(Self.migrations.prefix(2))
                await #expect(throws: MigrationRunner.MigrationError.self) {
                    try await MigrationRunner(older).run(on: client, logger: TestInfra.logger(level: .critical))
                }
                let gap = [Self.migrations[0], Migration(3, "skips_two", [])]
                await #expect(throws: MigrationRunner.MigrationError.self) {
                    try await MigrationRunner(gap).run(on: client, logger: TestInfra.logger(level: .critical))
                }
            }
        }
    }
}

@Suite struct TestDatabaseTests {
    @Test func refusesToWipeANonLocalDatabase() async throws {
        await #expect(throws: TestDatabase.NotLocal.self) {
            try await TestDatabase.drop(PostgresSettings(host: "db.production.internal", database: "cairn_test_x"))
        }
        #expect(throws: TestDatabase.NotLocal.self) { try TestDatabase.ensureLocal("10.0.0.5") }
        #expect(throws: Never.self) { try TestDatabase.ensureLocal("127.0.0.1") }
    }

    @Test func eachSuiteGetsACleanDatabaseThatIsDroppedAfterwards() async throws {
        let name = try await TestDatabase.withFresh(prefix: "clean") { settings in
            try await withPostgresClient(settings) { client in
                let tables = try await client.query(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                ).collect()
                #expect(try tables[0].decode(Int.self) == 0)
            }
            return settings.database
        }
        var maintenance = TestDatabase.settings(prefix: "x")
        maintenance.database = "postgres"
        try await withPostgresClient(maintenance) { client in
            let rows = try await client.query("SELECT count(*) FROM pg_database WHERE datname = \(name)").collect()
            #expect(try rows[0].decode(Int.self) == 0)
        }
    }
}

@Suite struct PostgresTLSTests {
    @Test func modesMapToTheClientsTLSSettings() throws {
        var settings = PostgresSettings(host: "db.example", database: "d", tls: .disable)
        #expect(try settings.clientConfiguration().options.tlsServerName == nil)
        settings.tls = .verifyFull
        #expect(try settings.clientConfiguration().options.tlsServerName == "db.example")
    }

    @Test func requireRefusesAServerWithoutTLS() async throws {
        // The local test server has TLS off: `require` must fail rather than fall back to plain text.
        var settings = TestDatabase.settings(prefix: "tls")
        settings.database = "postgres"
        settings.tls = .require
        await #expect(throws: (any Error).self) {
            try await withPostgresClient(settings) { client in
                try await withTimeout(.seconds(4)) { try await client.query("SELECT 1") }
            }
        }
    }
}
