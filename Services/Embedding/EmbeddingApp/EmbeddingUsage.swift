import CairnEvents
import CairnKafka
import CairnProtos
import Foundation

/// `UsageRecorded` events of kind `EMBEDDING_TOKENS`, for billing (`cairn.usage.v1`, keyed by
/// tenant). The worker sends its own with each batch's output; the API's go through a
/// `BufferedRecordSender` (sent in the background, kept and retried while the broker is away).
enum EmbeddingUsage {
    static func event(
        tenantID: String, usageID: String, subject: (type: Cairn_V1_SubjectType, id: String), tokens: Int, model: String,
        documentID: String = "", correlationID: String, attributes: [String: String], eventID: UUID = UUID()
    ) -> Cairn_V1_UsageRecorded {
        var event = Cairn_V1_UsageRecorded()
        event.meta = .make(
            for: Cairn_V1_UsageRecorded.self, tenantID: tenantID, producer: EmbeddingService.name, correlationID: correlationID, eventID: eventID
        )
        event.usageID = usageID
        event.subjectType = subject.type
        event.subjectID = subject.id
        event.kind = .embeddingTokens
        event.quantity = Int64(tokens)
        event.unit = "tokens"
        event.model = model
        event.documentID = documentID
        event.attributes = attributes
        return event
    }

    static func record(_ event: Cairn_V1_UsageRecorded, topic: String) -> KafkaRecord {
        KafkaRecord(topic: topic, key: event.partitionKey, value: EventCodec.encode(event))
    }
}
