import CairnPostgres
import CairnEvents
import CairnKafka
import CairnProtos
import Foundation
import Logging
import PostgresNIO

/// Stores the audit events other services (the gateway, say) publish on `cairn.audit.v1`.
/// Inserts are idempotent by event id, so redeliveries and auth's own events are absorbed.
/// An event that does not decode, or whose values Postgres refuses (SQLSTATE class 22/23: an
/// `occurred_at` without a partition, say), is a poison message: it goes to the DLQ. Anything
/// else (Postgres down) is retried until it succeeds: audit events are never dead-lettered
/// for an outage.
enum AuditConsumer {
    static func handler(client: PostgresClient, logger: Logger) -> KafkaConsumerWorker.BatchHandler {
        { messages in
            var events: [Cairn_V1_AuditEvent] = []
            for message in messages {
                do {
                    events.append(try EventCodec.decode(Cairn_V1_AuditEvent.self, from: message.value))
                } catch {
                    throw PoisonMessage("\(error)")
                }
            }
            do {
                try await client.transaction(logger: logger) { connection in
                    for event in events { try await AuditLog.insert(event, on: connection, logger: logger) }
                }
            } catch let error as PSQLError where error.rejectsData {
                throw PoisonMessage("Postgres refused the event: \(error.serverSummary)")
            }
        }
    }
}
