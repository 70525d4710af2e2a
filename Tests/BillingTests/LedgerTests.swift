@testable import BillingApp
import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import Foundation
import PostgresNIO
import ServiceKit
import Testing

/// Exactly-once metering: duplicates, redeliveries and a consumer killed mid-stream.
@Suite struct LedgerTests {
    static let unique = 10_000
    static let duplicates = 1_000

    /// 10,000 events for three tenants, plus 1,000 duplicates (half the same event resent, half
    /// a producer retry with a new event id and the same usage id), in a shuffled order.
    static func stream(tenants: [UUID]) -> (events: [Cairn_V1_UsageRecorded], expected: [UUID: [Meter: Int]]) {
        let kinds: [Cairn_V1_UsageKind] = [.chatMessage, .chatTokensOut, .apiRequest, .searchQuery]
        var events: [Cairn_V1_UsageRecorded] = []
        var expected: [UUID: [Meter: Int]] = [:]
        for index in 0..<unique {
            let tenant = tenants[index % tenants.count]
            let kind = kinds[index % kinds.count]
            let event = BillingHarness.usage(tenant: tenant, kind: kind, quantity: Int64(1 + index % 7), subject: "user-\(index % 5)")
            events.append(event)
            expected[tenant, default: [:]][Meter(kind: kind)!, default: 0] += 1 + index % 7
        }
        for index in stride(from: 0, to: unique, by: unique / duplicates) {
            var again = events[index]
            if index % 2 == 1 { again.meta.eventID = UUID().uuidString.lowercased() }
            events.append(again)
        }
        var generator = SystemRandomNumberGenerator()
        return (events.shuffled(using: &generator), expected)
    }

    @Test func tenThousandEventsWithDuplicatesAndAKilledConsumerAreCountedExactlyOnce() async throws {
        try await TestDatabase.withFresh(prefix: "billing") { database in
            let environment = try await BillingHarness.environment(database: database.database)
            let tenants = [UUID(), UUID(), UUID()]
            let (events, expected) = Self.stream(tenants: tenants)
            let producer = try KafkaProducer(settings: BillingHarness.kafka, clientID: "billing-test", logger: BillingHarness.logger)
            defer { producer.close() }
            let topic = environment["CAIRN_BILLING_USAGE_TOPIC"]!
            let half = events.count / 2

            // The real executable consumes the first half and is killed (SIGKILL) mid-stream.
            // It commits offsets only once a minute, so everything it applied is redelivered
            // (as after a crash between commits), and a trigger slows its ledger inserts to
            // about 1,000 rows a second, so the kill lands mid-stream even on a loaded machine.
            let process = Process()
            process.executableURL = TestInfra.binDirectory.appendingPathComponent("billing")
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
                .merging(["CAIRN_KAFKA_OPT_AUTO_COMMIT_INTERVAL_MS": "60000"]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let migrated = await eventually(within: .seconds(60), every: .milliseconds(20)) { (try? await Self.ledgerExists(database)) == true }
            try #require(migrated)
            try await withPostgresClient(database) { client in
                try await client.query("""
                    CREATE FUNCTION test_slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.001); RETURN NEW; END $$
                    """)
                try await client.query("CREATE TRIGGER test_slow BEFORE INSERT ON usage_ledger FOR EACH ROW EXECUTE FUNCTION test_slow_insert()")
            }
            try await BillingHarness.publish(Array(events[..<half]), topic: topic, producer: producer)
            let started = await eventually(within: .seconds(60), every: .milliseconds(20)) {
                (try? await Self.rows(database)) ?? 0 >= 1_000
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let atKill = try await Self.rows(database)
            let uniqueInFirstHalf = Set(events[..<half].map { [$0.meta.tenantID, $0.usageID] }).count
            #expect(started && process.terminationReason == .uncaughtSignal)
            // Mid-stream: part of the first half applied, not all of it (the rest must be
            // redelivered to the next consumer).
            #expect(atKill >= 1_000 && atKill < uniqueInFirstHalf, "killed mid-stream (\(atKill) of \(uniqueInFirstHalf) rows applied)")

            try await withPostgresClient(database) { try await $0.query("DROP TRIGGER test_slow ON usage_ledger") }

            // The rest arrives while nobody consumes; a new consumer in the same group finishes.
            try await BillingHarness.publish(Array(events[half...]), topic: topic, producer: producer)
            let config = try BillingService.configuration(environment: environment)
            let tokens = try TestTokens()
            let app = try await BillingService.buildApplication(config: config, verifier: tokens.verifier(), logger: BillingHarness.logger)
            try await app.test(.router) { client in
                let done = await eventually(within: .seconds(120), every: .milliseconds(100)) { (try? await Self.rows(database)) == Self.unique }
                #expect(done)
                try await Task.sleep(for: .seconds(2))  // anything still redelivered would land now
                #expect(try await Self.rows(database) == Self.unique)
                // Redeliveries happened: the killed consumer had handled at least `atKill`
                // messages, so without any redelivery this one would have handled at most
                // `events.count - atKill` (its counter is labelled by this test's own topic;
                // with nothing committed before the kill it handles every event again).
                let handled = try await client.execute(uri: "/metrics", method: .get) { response in
                    Self.processed(topic: topic, metrics: String(buffer: response.body))
                }
                #expect(handled > events.count - atKill, "the restarted consumer handled \(handled) messages; \(events.count - atKill) were never applied")
                try await withPostgresClient(database) { client in
                    for tenant in tenants {
                        for (meter, total) in expected[tenant]! {
                            let counters = try await client.query(
                                "SELECT coalesce(sum(used), 0)::int8 FROM usage_counters WHERE tenant_id = \(tenant) AND meter = \(meter.rawValue)"
                            ).decode(Int.self).reduce(0, +)
                            let daily = try await client.query(
                                "SELECT coalesce(sum(quantity), 0)::int8 FROM usage_daily WHERE tenant_id = \(tenant) AND meter = \(meter.rawValue)"
                            ).decode(Int.self).reduce(0, +)
                            #expect(counters == total && daily == total, "\(tenant) \(meter): counters \(counters), daily \(daily), expected \(total)")
                        }
                    }
                }
            }
        }
    }

    /// `kafka_consumer_messages_total{topic=…,outcome="processed"}` from the Prometheus text.
    static func processed(topic: String, metrics: String) -> Int {
        let prefix = #"kafka_consumer_messages_total{topic="\#(topic)",outcome="processed"} "#
        return metrics.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }.map { Int($0) } ?? 0
    }

    static func rows(_ database: PostgresSettings) async throws -> Int {
        // Before the first migration the table does not exist yet.
        guard try await ledgerExists(database) else { return 0 }
        return try await withPostgresClient(database) { client in
            try await client.query("SELECT count(*)::int8 FROM usage_ledger").decode(Int.self).reduce(0, +)
        }
    }

    static func ledgerExists(_ database: PostgresSettings) async throws -> Bool {
        try await withPostgresClient(database) { client in
            try await client.query("SELECT to_regclass('usage_ledger') IS NOT NULL").decode(Bool.self).reduce(false) { $1 }
        }
    }

    @Test func eventsThatCanNeverBeAppliedGoToTheDLQWithTheReason() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            var unknownKind = BillingHarness.usage(tenant: tenant, kind: .chatMessage)
            unknownKind.kind = .UNRECOGNIZED(42)
            var badTenant = BillingHarness.usage(tenant: tenant, kind: .chatMessage)
            badTenant.meta.tenantID = "not-a-uuid"
            let good = (0..<3).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage, quantity: 2) }
            var records = [unknownKind, badTenant].map { KafkaRecord(topic: harness.usageTopic, key: tenant.uuidString, value: EventCodec.encode($0)) }
            records.append(KafkaRecord(topic: harness.usageTopic, key: tenant.uuidString, value: Array("garbage".utf8)))
            records += good.map { KafkaRecord(topic: harness.usageTopic, key: tenant.uuidString, value: EventCodec.encode($0)) }
            for result in try await harness.producer.send(records) { _ = try result.get() }

            try await harness.awaitLedger(tenant, rows: 3)
            #expect(try await harness.ledger(tenant).total == 6)
            let dead = try await TopicReader.read(harness.usageTopic + ".dlq") { $0.count >= 3 }
            let reasons = dead.compactMap { $0.header("cairn-dlq-error").map { String(decoding: $0, as: UTF8.self) } }
            #expect(dead.count == 3)
            #expect(reasons.contains { $0.contains("usage kind 42 is unknown") }, "\(reasons)")
            #expect(reasons.contains { $0.contains("tenant_id is not a UUID") }, "\(reasons)")
            #expect(reasons.contains { $0.contains("undecodable") }, "\(reasons)")
        }
    }
}
