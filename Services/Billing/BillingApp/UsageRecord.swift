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
    /// How late an event may arrive (a little more than a yearly period) and how far ahead of
    /// billing's clock its producer's clock may be.
    static let maxAge: TimeInterval = 400 * 86_400
    static let maxSkew: TimeInterval = 5 * 60

    /// The largest quantity one event may carry for a meter: far above any real event, far
    /// below what could overflow a batch's sums (500 × 2^40 < 2^63) or a period counter.
    static func maxQuantity(_ meter: Meter) -> Int64 {
        switch meter {
        case .storageBytes: 1 << 40  // 1 TiB in one document
        case .chatTokens, .embeddingTokens: 1 << 32
        case .messages, .apiCalls, .searchQueries, .documents, .documentPages: 1 << 24
        }
    }

    /// Why an event can never be applied (it goes to the DLQ with this reason).
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    init(_ event: Cairn_V1_UsageRecorded, now: Date = Date()) throws(Invalid) {
        guard let tenant = UUID(uuidString: event.meta.tenantID) else { throw Invalid(description: "meta.tenant_id is not a UUID") }
        guard let meter = Meter(kind: event.kind) else {
            throw Invalid(description: "usage kind \(event.kind.rawValue) is unknown to this build; upgrade billing and replay from the DLQ")
        }
        guard event.usageID.count <= Self.maxIDLength else { throw Invalid(description: "usage_id is longer than \(Self.maxIDLength)") }
        guard !event.subjectID.isEmpty, event.subjectID.count <= Self.maxIDLength else {
            throw Invalid(description: "subject_id is empty or longer than \(Self.maxIDLength)")
        }
        guard event.quantity <= Self.maxQuantity(meter) else {
            throw Invalid(description: "quantity \(event.quantity) is above \(Self.maxQuantity(meter)), the most one \(meter.rawValue) event may carry")
        }
        // Compared in seconds first: a date far enough out traps in calendar arithmetic.
        let seconds = event.meta.occurredAt.seconds
        let earliest = now.addingTimeInterval(-Self.maxAge)
        let latest = now.addingTimeInterval(Self.maxSkew)
        guard seconds >= Int64(earliest.timeIntervalSince1970), seconds <= Int64(latest.timeIntervalSince1970),
              (earliest...latest).contains(event.meta.occurredAt.date)
        else {
            throw Invalid(description: "occurred_at is more than 400 days ago or more than 5 minutes ahead")
        }
        let texts = [event.usageID, event.subjectID, event.meta.producer, event.model, event.unit, event.conversationID, event.documentID]
            + event.attributes.keys + event.attributes.values
        guard !texts.contains(where: { $0.utf8.contains(0) }) else { throw Invalid(description: "a string field contains a NUL character") }
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
