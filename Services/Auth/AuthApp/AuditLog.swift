import CairnAuthKit
import CairnPostgres
import CairnEvents
import CairnKafka
import CairnProtos
import Foundation
import Logging
import PostgresNIO

/// Writes the audit log: each event goes into `audit_log` (append-only, partitioned by month)
/// and into `audit_outbox` in the same transaction as the action it records, so an action is
/// never committed without its audit line; ``AuditRelay`` publishes the outbox to Kafka.
/// Events of other services arrive through ``AuditConsumer`` and are stored idempotently.
struct AuditLog: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Records `entry` inside the caller's transaction.
    func record(_ entry: AuditEntry, origin: RequestOrigin, on connection: PostgresConnection) async throws {
        let event = entry.event(origin: origin)
        try await Self.insert(event, on: connection, logger: logger)
        let id = UUID(uuidString: event.meta.eventID)!
        let payload = Data(EventCodec.encode(event))
        try await connection.query("""
            INSERT INTO audit_outbox (id, tenant_id, payload) VALUES (\(id), \(entry.tenantID), \(payload))
            """, logger: logger)
    }

    /// Records `entry` in a transaction of its own (actions that change nothing else, such as a
    /// failed login).
    func record(_ entry: AuditEntry, origin: RequestOrigin) async throws {
        try await client.transaction(logger: logger) { connection in
            try await record(entry, origin: origin, on: connection)
        }
    }

    /// Inserts an event unless a row with its id is already there (redelivery, or our own
    /// event coming back from the topic).
    static func insert(_ event: Cairn_V1_AuditEvent, on connection: PostgresConnection, logger: Logger) async throws {
        guard let id = UUID(uuidString: event.meta.eventID), let tenant = UUID(uuidString: event.meta.tenantID) else {
            throw AuditEventInvalid(reason: "event_id and tenant_id must be UUIDs")
        }
        let details = String(decoding: try JSONEncoder().encode(event.details), as: UTF8.self)
        let occurredAt = event.meta.occurredAt.date
        try await connection.query("""
            INSERT INTO audit_log (id, tenant_id, occurred_at, actor_type, actor_id, action, target_type, target_id,
                                   outcome, ip, user_agent, details, producer, correlation_id)
            VALUES (\(id), \(tenant), \(occurredAt), \(event.actorType.label), \(event.actorID), \(event.action),
                    \(event.targetType), \(event.targetID), \(event.outcome.label), \(event.ip), \(event.userAgent),
                    \(details)::jsonb, \(event.meta.producer), \(event.meta.correlationID))
            ON CONFLICT (id, occurred_at) DO NOTHING
            """, logger: logger)
    }
}

struct AuditEventInvalid: NonRetryableError, CustomStringConvertible {
    var reason: String
    var description: String { "invalid audit event: \(reason)" }
}
