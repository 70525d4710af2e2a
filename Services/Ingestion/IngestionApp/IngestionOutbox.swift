import CairnEvents
import CairnKafka
import CairnOutbox
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// Every event ingestion publishes goes through its `outbox` table, written in the transaction
/// of the change that caused it: an accepted upload, a new version's chunks, a deletion and the
/// usage it meters are published after the commit, or not at all if it rolls back.
///
/// Deletions are *held* (`held_events`) until every outbox row of their document written before
/// them has been published: a superseded version is retracted only after the new version's
/// chunks went out, and a deleted document's last chunks never reach the index after its
/// tombstone. ``RetractionRelease`` moves them into the outbox once that holds.
struct IngestionOutbox: Sendable {
    let topics: Topics

    struct Topics: Sendable {
        var submitted: String
        var chunks: String
        var deleted: String
        var usage: String
    }

    /// A record to write: topic, key, encoded event.
    struct Entry: Sendable {
        var topic: String
        var key: String
        var payload: [UInt8]

        init<Event: CairnEvent>(_ event: Event, topic: String) {
            self.topic = topic
            key = event.partitionKey
            payload = EventCodec.encode(event)
        }
    }

    /// Appends `entries` in order (one statement for all of them).
    static func enqueue(_ entries: [Entry], on connection: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        let topics = entries.map(\.topic)
        let keys = entries.map(\.key)
        let payloads = entries.map { ByteBuffer(bytes: $0.payload) }
        try await connection.query("""
            INSERT INTO outbox (topic, key, payload)
            SELECT topic, key, payload FROM unnest(\(topics)::text[], \(keys)::text[], \(payloads)::bytea[]) WITH ORDINALITY AS e(topic, key, payload, n)
            ORDER BY n
            """, logger: logger)
    }

    /// Holds `entry` until every outbox row with its key that exists now has been published.
    static func hold(_ entry: Entry, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO held_events (topic, key, payload, after_outbox_id)
            SELECT \(entry.topic), \(entry.key), \(ByteBuffer(bytes: entry.payload)), coalesce(max(id), 0) FROM outbox WHERE key = \(entry.key)
            """, logger: logger)
    }

    /// The relay of `outbox` (each row names its topic and key), oldest first.
    static func relay(client: PostgresClient, producer: KafkaProducer, interval: Duration, logger: Logger) -> OutboxRelay<Int64> {
        let table = OutboxRelay<Int64>.Table(name: "outbox", columns: "id, topic, key, payload", orderBy: "id") { row in
            let (id, topic, key, payload) = try row.decode((Int64, String, String, ByteBuffer).self)
            return (id, KafkaRecord(topic: topic, key: key, value: Array(buffer: payload)))
        }
        return OutboxRelay(table: table, client: client, producer: producer, interval: interval, logger: logger)
    }
}

/// Moves held deletions into the outbox once what they wait for has been published (the relay
/// deletes outbox rows only after the broker acknowledged them).
struct RetractionRelease: Service {
    let client: PostgresClient
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await releaseReady()
            } catch {
                logger.warning("releasing held deletions failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    func releaseReady() async throws {
        try await client.query("""
            WITH ready AS (
                DELETE FROM held_events h
                WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.key = h.key AND o.id <= h.after_outbox_id)
                RETURNING id, topic, key, payload
            )
            INSERT INTO outbox (topic, key, payload) SELECT topic, key, payload FROM ready ORDER BY id
            """, logger: logger)
    }
}
