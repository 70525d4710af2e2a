import CairnAuthKit
import CairnEvents
import CairnProtos
import Foundation

/// Audit events of actions not tied to a tenant (a failed login naming no known tenant) are
/// filed under this all-zero tenant id, which no real tenant has.
let platformTenantID = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

/// An audit line, in the vocabulary of `cairn.audit.v1` (``Cairn_V1_AuditEvent``).
struct AuditEntry: Sendable {
    var tenantID: UUID
    var actorType: Cairn_V1_ActorType
    var actorID: String
    var action: String
    var targetType: String = ""
    var targetID: String = ""
    var outcome: Cairn_V1_AuditOutcome = .success
    var details: [String: String] = [:]

    /// The event as published, stamped with a fresh event id and the origin of the request.
    func event(origin: RequestOrigin) -> Cairn_V1_AuditEvent {
        .make(tenantID: tenantID.uuidString.lowercased(), producer: "auth", correlationID: origin.requestID) { event in
            event.actorType = actorType
            event.actorID = actorID
            event.action = action
            event.targetType = targetType
            event.targetID = targetID
            event.outcome = outcome
            event.ip = origin.ip
            event.userAgent = origin.userAgent
            event.details = details
        }
    }
}

extension Cairn_V1_ActorType {
    /// Lower-case name as stored in the audit table and shown in the API.
    var label: String {
        switch self {
        case .user: "user"
        case .apiKey: "api_key"
        case .service: "service"
        case .anonymous: "anonymous"
        default: "unspecified"
        }
    }
}

extension Cairn_V1_AuditOutcome {
    var label: String {
        switch self {
        case .success: "success"
        case .failure: "failure"
        case .denied: "denied"
        default: "unspecified"
        }
    }
}
