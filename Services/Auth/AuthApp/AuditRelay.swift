import CairnEvents
import CairnKafka
import CairnOutbox
import Foundation
import Logging
import PostgresNIO

/// Publishes `audit_outbox` to `cairn.audit.v1` (keyed by tenant) with the shared
/// ``OutboxRelay``; consumers absorb a republished event by its id.
enum AuditRelay {
    static func make(client: PostgresClient, producer: KafkaProducer, interval: Duration, logger: Logger) -> OutboxRelay<UUID> {
        let table = OutboxRelay<UUID>.Table(name: "audit_outbox", columns: "id, tenant_id, payload", orderBy: "created_at") { row in
            let (id, tenant, payload) = try row.decode((UUID, UUID, Data).self)
            return (id, KafkaRecord(topic: EventTopic.audit.name, key: tenant.uuidString.lowercased(), value: Array(payload)))
        }
        return OutboxRelay(table: table, client: client, producer: producer, interval: interval, logger: logger)
    }
}
