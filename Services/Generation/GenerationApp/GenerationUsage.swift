import CairnAuthKit
import CairnEvents
import CairnKafka
import CairnProtos
import Foundation

/// Who a generation is billed to and why: the tenant, the caller, the request id and, when the
/// orchestrator names it, the conversation.
struct UsageSubject: Sendable {
    var tenant: UUID
    var identity: Identity
    var requestID: String
    var conversationID: String?
}

/// `UsageRecorded` events for billing (`cairn.usage.v1`, keyed by tenant): one
/// `CHAT_TOKENS_IN` (prompt tokens) and one `CHAT_TOKENS_OUT` (completion tokens) per
/// generation, with the model, the provider and the cost in US dollars in the attributes.
/// The usage ids share one fresh id per generation (`generation:<uuid>:in|out`).
struct GenerationUsage: Sendable {
    let sender: BufferedRecordSender
    let topic: String

    func record(_ usage: TokenUsage, model: ModelEntry, subject: UsageSubject, cached: Bool) {
        let id = "generation:\(UUID().uuidString.lowercased())"
        let attributes = [
            "provider": model.provider, "cost_usd": String(format: "%.6f", cached ? 0 : model.cost(usage)), "cached": "\(cached)",
            "request_id": subject.requestID,
        ]
        let events = [(Cairn_V1_UsageKind.chatTokensIn, usage.promptTokens, "in"), (.chatTokensOut, usage.completionTokens, "out")]
            .filter { $0.1 > 0 }
            .map { kind, quantity, suffix in
                Self.event(kind: kind, quantity: quantity, usageID: "\(id):\(suffix)", model: model.id, subject: subject, attributes: attributes)
            }
        sender.enqueue(events.map { KafkaRecord(topic: topic, key: $0.partitionKey, value: EventCodec.encode($0)) })
    }

    static func event(
        kind: Cairn_V1_UsageKind, quantity: Int, usageID: String, model: String, subject: UsageSubject, attributes: [String: String]
    ) -> Cairn_V1_UsageRecorded {
        var event = Cairn_V1_UsageRecorded()
        event.meta = .make(
            for: Cairn_V1_UsageRecorded.self, tenantID: subject.tenant.uuidString.lowercased(), producer: GenerationService.name,
            correlationID: subject.requestID
        )
        event.usageID = usageID
        event.subjectType = switch subject.identity.kind {
        case .user: .user
        case .apiKey: .apiKey
        case .service: .service
        }
        event.subjectID = subject.identity.subject
        event.kind = kind
        event.quantity = Int64(quantity)
        event.unit = "tokens"
        event.model = model
        event.conversationID = subject.conversationID ?? ""
        event.attributes = attributes
        return event
    }
}
