import CairnProtos
import Foundation
import SwiftProtobuf

extension Cairn_V1_EventMeta {
    /// A fresh envelope for an event of type `type`: a new lowercase UUID event id, the current
    /// time, and that message's current schema version. Most code calls
    /// ``CairnEvent/make(tenantID:producer:correlationID:_:)`` instead.
    public static func make<Event: CairnEvent>(
        for type: Event.Type,
        tenantID: String,
        producer: String,
        correlationID: String = "",
        eventID: UUID = UUID(),
        occurredAt: Date = Date()
    ) -> Self {
        var meta = Self()
        meta.eventID = eventID.uuidString.lowercased()
        meta.tenantID = tenantID
        meta.occurredAt = Google_Protobuf_Timestamp(date: occurredAt)
        meta.schemaVersion = Event.schemaVersion
        meta.producer = producer
        meta.correlationID = correlationID
        return meta
    }
}
