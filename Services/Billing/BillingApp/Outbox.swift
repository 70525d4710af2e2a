import CairnKafka
import CairnOutbox
import Foundation
import Logging
import PostgresNIO

/// Events written in the same transaction as the change that caused them (quota warnings,
/// audit events), so that a crash can delay an event but never lose it or invent one.
enum Outbox {
    static func enqueue(topic: String, key: String, payload: [UInt8], on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "INSERT INTO outbox (topic, key, payload) VALUES (\(topic), \(key), \(ByteBuffer(bytes: payload)))", logger: logger
        )
    }
}

extension Outbox {
    /// The relay of billing's `outbox` (each row names its topic and key). Quota-warning
    /// consumers also absorb a republished warning by its tenant, kind, period and threshold.
    static func relay(client: PostgresClient, producer: KafkaProducer, interval: Duration, logger: Logger) -> OutboxRelay<Int> {
        let table = OutboxRelay<Int>.Table(name: "outbox", columns: "id, topic, key, payload", orderBy: "id") { row in
            let (id, topic, key, payload) = try row.decode((Int, String, String, ByteBuffer).self)
            return (id, KafkaRecord(topic: topic, key: key, value: Array(buffer: payload)))
        }
        return OutboxRelay(table: table, client: client, producer: producer, interval: interval, logger: logger)
    }
}
