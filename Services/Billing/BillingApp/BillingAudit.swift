import CairnAuthKit
import CairnEvents
import CairnProtos
import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// Billing's changes (subscriptions, plans) go to the platform audit log: an `AuditEvent` on
/// `cairn.audit.v1`, written to the outbox in the transaction of the change, which auth stores.
enum BillingAudit {
    /// Where platform-wide changes (the plan catalogue) are filed, as auth files tenant-less events.
    static let platformTenant = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    static func record(
        _ action: String, tenantID: UUID, target: (type: String, id: String), details: [String: String], request: Request,
        context: BillingRequestContext, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let origin = request.origin(context: context)
        let event = Cairn_V1_AuditEvent.make(tenantID: tenantID.uuidString.lowercased(), producer: "billing", correlationID: origin.requestID) {
            switch context.identity?.kind {
            case .user: $0.actorType = .user
            case .apiKey: $0.actorType = .apiKey
            case .service: $0.actorType = .service
            case nil: $0.actorType = .anonymous
            }
            $0.actorID = context.identity?.subject ?? ""
            $0.action = action
            $0.targetType = target.type
            $0.targetID = target.id
            $0.outcome = .success
            $0.ip = origin.ip
            $0.userAgent = origin.userAgent
            $0.details = details
        }
        try await Outbox.enqueue(topic: EventTopic.audit.name, key: event.partitionKey, payload: EventCodec.encode(event), on: connection, logger: logger)
    }
}
