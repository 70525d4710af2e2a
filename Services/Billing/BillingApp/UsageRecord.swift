import CairnEvents
import CairnProtos
import Foundation

/// One unit of metered usage as the ledger stores it: `UsageRecorded` translated at the edge.
struct UsageRecord: Sendable, Equatable {
    var tenantID: UUID
    /// The idempotency key: unique per tenant in the ledger.
    var usageID: String
    var eventID: UUID
    /// The usage kind's proto name, lower-case (`chat_tokens_out`).
    var kind: String
    var meter: Meter
    var quantity: Int
    var subjectType: String
    var subjectID: String
    var producer: String
    var model: String
    /// conversation id, document id, unit and attributes, as a JSON object.
    var metadata: String
    var occurredAt: Date

    /// Longest usage and subject id accepted.
    static let maxIDLength = 200

    /// Why an event can never be applied (it goes to the DLQ with this reason).
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    init(_ event: Cairn_V1_UsageRecorded) throws(Invalid) {
        guard let tenant = UUID(uuidString: event.meta.tenantID) else { throw Invalid(description: "meta.tenant_id is not a UUID") }
        guard let meter = Meter(kind: event.kind) else {
            throw Invalid(description: "usage kind \(event.kind.rawValue) is unknown to this build; upgrade billing and replay from the DLQ")
        }
        guard event.usageID.count <= Self.maxIDLength else { throw Invalid(description: "usage_id is longer than \(Self.maxIDLength)") }
        guard !event.subjectID.isEmpty, event.subjectID.count <= Self.maxIDLength else {
            throw Invalid(description: "subject_id is empty or longer than \(Self.maxIDLength)")
        }
        tenantID = tenant
        usageID = event.usageID
        eventID = UUID(uuidString: event.meta.eventID)!  // EventCodec checked it
        kind = Self.name(of: event.kind)
        self.meter = meter
        quantity = Int(event.quantity)
        subjectType = switch event.subjectType {
        case .user: "user"
        case .apiKey: "api_key"
        default: "service"
        }
        subjectID = event.subjectID
        producer = event.meta.producer
        model = event.model
        var details: [String: String] = event.attributes
        if !event.unit.isEmpty { details["unit"] = event.unit }
        if !event.conversationID.isEmpty { details["conversation_id"] = event.conversationID }
        if !event.documentID.isEmpty { details["document_id"] = event.documentID }
        metadata = (try? String(decoding: JSONEncoder().encode(details), as: UTF8.self)) ?? "{}"
        occurredAt = event.meta.occurredAt.date
    }

    private static func name(of kind: Cairn_V1_UsageKind) -> String {
        switch kind {
        case .chatTokensIn: "chat_tokens_in"
        case .chatTokensOut: "chat_tokens_out"
        case .embeddingTokens: "embedding_tokens"
        case .documentPages: "document_pages"
        case .documentBytes: "document_bytes"
        case .apiRequest: "api_request"
        case .searchQuery: "search_query"
        case .chatMessage: "chat_message"
        case .documentStored: "document_stored"
        default: "unknown"
        }
    }
}
