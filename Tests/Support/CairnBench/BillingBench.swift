import BillingApp
import CairnAuthKit
import CairnEvents
import CairnKafka
import CairnPostgres
import CairnProtos
import CairnTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import NIOCore
import ServiceKit

/// Billing (`cairn-bench billing`), on a fresh database and fresh topics:
/// - `usage_events_applied`: events per second through the real consumer and ledger (decode,
///   one transaction per batch, counters, roll-ups, Redis), timed from the first ledger row to
///   the last, the events published beforehand (target ≥ 5,000/s);
/// - `quota_check`: `POST /v1/quota/check` latency through HTTP on a real socket, sequential,
///   with a verified service token (target p99 < 2 ms).
enum BillingBench {
    static let events = 50_000
    static let tenants = 50
    static let checks = 5_000
    static let warmUp = 500
    static let targetEventsPerSecond = 5_000.0
    static let targetP99Microseconds = 2_000.0

    static func run(settings kafka: KafkaSettings, logger: Logger) async throws -> [String] {
        try await TestDatabase.withFresh(prefix: "bench_billing") { database in
            let suffix = TestInfra.uniqueSuffix()
            let topic = "bench.usage.\(suffix)"
            // Its own warnings topic too: the bench's tenants cross thresholds, and their
            // warnings must not land on the real cairn.quota.warnings.v1.
            let warnings = "bench.quota-warnings.\(suffix)"
            try await KafkaAdmin.ensureTopics([
                TopicSpec(name: topic, partitions: 3), TopicSpec(name: topic + ".dlq", partitions: 1), TopicSpec(name: warnings, partitions: 1),
            ], settings: kafka)
            let tenantIDs = (0..<tenants).map { _ in UUID() }
            try await publish(topic: topic, tenants: tenantIDs, settings: kafka, logger: logger)

            let (verifier, token) = try await AuthBench.serviceCredentials(subject: "gateway", logger: logger)
            let environment = TestInfra.serviceEnvironment(database: database.database, overrides: [
                "CAIRN_BILLING_USAGE_TOPIC": topic, "CAIRN_BILLING_WARNINGS_TOPIC": warnings, "CAIRN_BILLING_USAGE_GROUP": "bench-\(suffix)",
                "CAIRN_LOG_LEVEL": "error",
            ])
            let app = try await BillingService.buildApplication(
                config: try BillingService.configuration(environment: environment), verifier: verifier, logger: logger
            )
            return try await app.test(.live) { client in
                let seconds = try await timeLedger(database, until: events)
                let applied = Bench.line([
                    "bench": "usage_events_applied", "events": events, "tenants": tenants, "seconds": Bench.rounded(seconds),
                    "events_per_second": Int(Double(events) / seconds), "target_per_second": Int(targetEventsPerSecond),
                ])
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(token)"
                headers[.contentType] = "application/json"
                let bodies = tenantIDs.map { ByteBuffer(string: #"{"tenant_id":"\#($0.uuidString.lowercased())","resource":"messages"}"#) }
                func check(_ index: Int) async throws {
                    let status = try await client.execute(uri: "/v1/quota/check", method: .post, headers: headers, body: bodies[index % tenants]) { $0.status }
                    guard status == .ok else { throw Bench.ToolFailed(tool: "quota check", status: Int32(status.code)) }
                }
                for index in 0..<warmUp { try await check(index) }
                let timing = try await AuthBench.measureAsync(count: checks) { try await check($0) }
                return [applied, Bench.line([
                    "bench": "quota_check", "transport": "http (loopback, keep-alive)", "checks": checks,
                    "p50_us": Bench.rounded(timing.p50), "p99_us": Bench.rounded(timing.p99), "target_p99_us": targetP99Microseconds,
                ])]
            }
        }
    }

    /// Publishes the events (messages, tokens and API calls spread over the tenants).
    static func publish(topic: String, tenants: [UUID], settings: KafkaSettings, logger: Logger) async throws {
        let producer = try KafkaProducer(settings: settings, clientID: "bench-billing", logger: logger)
        defer { producer.close() }
        let kinds: [Cairn_V1_UsageKind] = [.chatMessage, .chatTokensIn, .chatTokensOut, .apiRequest]
        for start in stride(from: 0, to: events, by: 5_000) {
            let records = (start..<min(events, start + 5_000)).map { index in
                let event = Cairn_V1_UsageRecorded.make(tenantID: tenants[index % tenants.count].uuidString.lowercased(), producer: "bench") {
                    $0.usageID = "bench-\(index)"
                    $0.subjectType = .user
                    $0.subjectID = "user-\(index % 20)"
                    $0.kind = kinds[index % kinds.count]
                    $0.quantity = 1 + Int64(index % 50)
                }
                return KafkaRecord(topic: topic, key: event.partitionKey, value: EventCodec.encode(event))
            }
            for result in try await producer.send(records) { _ = try result.get() }
        }
    }

    /// The ledger did not reach the expected rows in time (the consumer is stuck or slow).
    struct LedgerTimeout: Error, CustomStringConvertible {
        var rows: Int
        var expected: Int
        var description: String { "billing bench: the ledger has \(rows) of \(expected) rows after \(BillingBench.timeout)" }
    }

    /// Longest wait for the ledger (at the 5,000/s target the events take 10 s).
    static let timeout = Duration.seconds(300)

    /// Seconds from the first ledger row to `count` rows; throws ``LedgerTimeout`` after ``timeout``.
    static func timeLedger(_ database: PostgresSettings, until count: Int) async throws -> Double {
        try await withPostgresClient(database) { client in
            func rows() async throws -> Int {
                try await client.query("SELECT count(*)::int8 FROM usage_ledger").decode(Int.self).reduce(0, +)
            }
            let deadline = ContinuousClock.now + timeout
            func waitFor(_ done: (Int) -> Bool, every interval: Duration) async throws {
                while true {
                    let now = try await rows()
                    if done(now) { return }
                    if ContinuousClock.now > deadline { throw LedgerTimeout(rows: now, expected: count) }
                    try await Task.sleep(for: interval)
                }
            }
            try await waitFor({ $0 > 0 }, every: .milliseconds(5))
            let start = ContinuousClock.now
            try await waitFor({ $0 >= count }, every: .milliseconds(20))
            return Bench.seconds(since: start)
        }
    }
}
