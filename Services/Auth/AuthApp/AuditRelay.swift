import CairnPostgres
import CairnEvents
import CairnKafka
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// Publishes `audit_outbox` to `cairn.audit.v1` and deletes what the broker acknowledged.
/// Rows are claimed with `FOR UPDATE SKIP LOCKED`, so replicas share the work; a crash before
/// the delete republishes, which consumers absorb (events carry their id).
/// Also keeps the monthly partitions of `audit_log` created ahead of time.
struct AuditRelay: Service {
    let client: PostgresClient
    let producer: KafkaProducer
    let interval: Duration
    let logger: Logger
    static let batchSize = 500

    func run() async throws {
        var lastPartitionCheck = ContinuousClock.now
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if ContinuousClock.now - lastPartitionCheck > .seconds(3_600) {
                try? await AuditPartitions.ensure(client: client, logger: logger)
                lastPartitionCheck = .now
            }
            do {
                while try await publishBatch() == Self.batchSize {}
            } catch {
                logger.warning("audit relay failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: interval)
        }
        // One last pass on a graceful stop, so that events of the final requests are not left
        // for the next start. Not when cancelled: the Postgres client may already be gone, and
        // leasing from it would wait for ever.
        if !Task.isCancelled { _ = try? await publishBatch() }
    }

    /// Publishes up to one batch; returns how many rows it took.
    func publishBatch() async throws -> Int {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT id, tenant_id, payload FROM audit_outbox ORDER BY created_at LIMIT \(Self.batchSize) FOR UPDATE SKIP LOCKED
                """, logger: logger)
            var ids: [UUID] = []
            var records: [KafkaRecord] = []
            for try await (id, tenant, payload) in rows.decode((UUID, UUID, Data).self) {
                ids.append(id)
                records.append(KafkaRecord(topic: EventTopic.audit.name, key: tenant.uuidString.lowercased(), value: Array(payload)))
            }
            guard !records.isEmpty else { return 0 }
            let results = try await producer.send(records)
            let delivered = zip(ids, results).compactMap { id, result in (try? result.get()) == nil ? nil : id }
            if !delivered.isEmpty {
                try await connection.query("DELETE FROM audit_outbox WHERE id = ANY(\(delivered))", logger: logger)
            }
            if delivered.count < ids.count {
                logger.warning("audit events not delivered; retrying", metadata: ["failed": "\(ids.count - delivered.count)"])
            }
            // Only a full, fully delivered batch asks for another one at once.
            return delivered.count
        }
    }
}

/// Monthly partitions of `audit_log`: this month and the next two exist at all times.
enum AuditPartitions {
    static func ensure(client: PostgresClient, logger: Logger) async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: calendar.dateComponents([.year, .month], from: Date()))!
        for offset in 0..<3 {
            let from = calendar.date(byAdding: .month, value: offset, to: start)!
            let to = calendar.date(byAdding: .month, value: offset + 1, to: start)!
            let parts = calendar.dateComponents([.year, .month], from: from)
            let name = String(format: "audit_log_%04d_%02d", parts.year!, parts.month!)
            let formatter = ISO8601DateFormatter()
            // Identifiers and bounds come from the calendar above, never from input.
            let sql = "CREATE TABLE IF NOT EXISTS \(name) PARTITION OF audit_log FOR VALUES FROM ('\(formatter.string(from: from))') TO ('\(formatter.string(from: to))')"
            do {
                try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            } catch {
                logger.warning("audit partition not created", metadata: ["partition": "\(name)", "error": "\(String(reflecting: error))"])
            }
        }
    }
}
