import CairnKafka
import CairnPostgres
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// Publishes a transactional outbox to Kafka and deletes what the broker acknowledged.
///
/// Services write events into an outbox table in the transaction of the change that caused
/// them, so a crash can delay an event but never lose it or invent one. Rows are claimed with
/// `FOR UPDATE SKIP LOCKED`, so replicas share the work; a crash before the delete publishes
/// again, which consumers absorb (events carry their id).
public struct OutboxRelay<RowID: PostgresArrayEncodable & Sendable>: Service {
    /// Where the outbox lives and how one of its rows becomes a record.
    public struct Table: Sendable {
        /// The table (trusted: a constant of the service, never input); its key column is `id`.
        public var name: String
        /// The columns selected, `id` first; `decode` reads them.
        public var columns: String
        /// Publishing order (oldest first).
        public var orderBy: String
        public var decode: @Sendable (PostgresRow) throws -> (id: RowID, record: KafkaRecord)

        public init(name: String, columns: String, orderBy: String, decode: @escaping @Sendable (PostgresRow) throws -> (id: RowID, record: KafkaRecord)) {
            self.name = name
            self.columns = columns
            self.orderBy = orderBy
            self.decode = decode
        }
    }

    public let table: Table
    public let client: PostgresClient
    public let producer: KafkaProducer
    public let interval: Duration
    public let logger: Logger
    public static var batchSize: Int { 500 }
    /// How long one pass may take before the relay gives up on it and starts another: longer
    /// than the producer's delivery timeout (30 s). A pass can hang past any cancellation:
    /// in the fault test, Postgres stopping just as the DELETE was sent left that query
    /// waiting for ever in PostgresNIO, and the relay stalled for good with no error. The
    /// abandoned pass keeps its pooled connection; its rows are claimed again once that
    /// connection's transaction is gone (the server ended it).
    public static var passDeadline: Duration { .seconds(75) }

    public init(table: Table, client: PostgresClient, producer: KafkaProducer, interval: Duration, logger: Logger) {
        self.table = table
        self.client = client
        self.producer = producer
        self.interval = interval
        var logger = logger
        logger[metadataKey: "outbox"] = "\(table.name)"
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                while try await withHardTimeout(Self.passDeadline, { try await publishBatch() }) == Self.batchSize {}
            } catch {
                logger.warning("outbox relay failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: interval)
        }
        // One last pass on a graceful stop, so that events of the final requests are not left
        // for the next start. Not when cancelled: the Postgres client may already be gone, and
        // leasing from it would wait for ever.
        if !Task.isCancelled { _ = try? await publishBatch() }
    }

    /// Publishes up to one batch; returns how many rows were delivered (only a full, fully
    /// delivered batch asks for another one at once).
    public func publishBatch() async throws -> Int {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT \(table.columns) FROM \(table.name) ORDER BY \(table.orderBy) LIMIT \(Self.batchSize) FOR UPDATE SKIP LOCKED
                """), logger: logger)
            var claimed: [(id: RowID, record: KafkaRecord)] = []
            for try await row in rows { claimed.append(try table.decode(row)) }
            guard !claimed.isEmpty else { return 0 }
            let results = try await producer.send(claimed.map(\.record))
            let delivered = zip(claimed, results).compactMap { row, result in (try? result.get()) == nil ? nil : row.id }
            if !delivered.isEmpty {
                var delete = PostgresQuery(unsafeSQL: "DELETE FROM \(table.name) WHERE id = ANY($1)")
                try delete.binds.append(delivered, context: .default)
                try await connection.query(delete, logger: logger)
            }
            if delivered.count < claimed.count {
                logger.warning("outbox events not delivered; retrying", metadata: ["failed": "\(claimed.count - delivered.count)"])
            }
            return delivered.count
        }
    }
}
