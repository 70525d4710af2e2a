import CairnKafka
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Events written in the same transaction as the change that caused them (quota warnings,
/// audit events), so that a crash can delay an event but never lose it or invent one.
enum Outbox {
    static func enqueue(topic: String, key: String, payload: [UInt8], on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "INSERT INTO outbox (topic, key, payload) VALUES (\(topic), \(key), \(ByteBuffer(bytes: payload)))", logger: logger
        )
    }
}

/// Publishes the outbox to Kafka and deletes what the broker acknowledged. Rows are claimed
/// with `FOR UPDATE SKIP LOCKED`, so replicas share the work; a crash before the delete
/// publishes again, which consumers absorb by event id (quota warnings also by their
/// tenant, kind, period and threshold).
struct OutboxRelay: Service {
    let client: PostgresClient
    let producer: KafkaProducer
    let interval: Duration
    let logger: Logger
    static let batchSize = 500

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                while try await relayBatch() == Self.batchSize {}
            } catch {
                logger.warning("outbox relay failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: interval)
        }
        // A last pass on a graceful stop; not when cancelled (the Postgres client may be gone).
        if !Task.isCancelled { _ = try? await relayBatch() }
    }

    /// Publishes up to one batch; returns how many rows were delivered.
    func relayBatch() async throws -> Int {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT id, topic, key, payload FROM outbox ORDER BY id LIMIT \(Self.batchSize) FOR UPDATE SKIP LOCKED", logger: logger
            )
            var claimed: [(id: Int, record: KafkaRecord)] = []
            for try await (id, topic, key, payload) in rows.decode((Int, String, String, ByteBuffer).self) {
                claimed.append((id, KafkaRecord(topic: topic, key: key, value: Array(buffer: payload))))
            }
            guard !claimed.isEmpty else { return 0 }
            let results = try await producer.send(claimed.map(\.record))
            let delivered = zip(claimed, results).compactMap { row, result in (try? result.get()) == nil ? nil : row.id }
            if !delivered.isEmpty {
                try await connection.query("DELETE FROM outbox WHERE id = ANY(\(delivered))", logger: logger)
            }
            if delivered.count < claimed.count {
                logger.warning("outbox events not delivered; retrying", metadata: ["failed": "\(claimed.count - delivered.count)"])
            }
            return delivered.count
        }
    }
}
