import CairnKafka
import Logging
import PostgresNIO

/// The common outbox shape: a table `outbox (id bigserial, topic, key, payload bytea,
/// created_at)` whose rows each name their topic and key, published oldest first by
/// ``OutboxRelay``. A service creates the table with ``createTable`` in its migrations,
/// writes rows with ``enqueue(topic:key:payload:on:logger:)`` inside the transaction of the change
/// that caused them, and runs ``relay(client:producer:interval:logger:)``.
public enum TopicOutbox {
    /// The table's DDL, for a service's migrations.
    public static let createTable = """
        CREATE TABLE outbox (
            id bigserial PRIMARY KEY,
            topic text NOT NULL,
            key text NOT NULL,
            payload bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        )
        """

    /// Appends one record on `connection` (the caller's transaction).
    public static func enqueue(topic: String, key: String, payload: [UInt8], on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "INSERT INTO outbox (topic, key, payload) VALUES (\(topic), \(key), \(ByteBuffer(bytes: payload)))", logger: logger
        )
    }

    /// The relay of `outbox`, oldest row first.
    public static func relay(client: PostgresClient, producer: KafkaProducer, interval: Duration, logger: Logger) -> OutboxRelay<Int64> {
        let table = OutboxRelay<Int64>.Table(name: "outbox", columns: "id, topic, key, payload", orderBy: "id") { row in
            let (id, topic, key, payload) = try row.decode((Int64, String, String, ByteBuffer).self)
            return (id, KafkaRecord(topic: topic, key: key, value: Array(buffer: payload)))
        }
        return OutboxRelay(table: table, client: client, producer: producer, interval: interval, logger: logger)
    }
}
