import CairnProtos
import SwiftProtobuf

/// A generated `cairn.v1` message that travels on exactly one Kafka topic.
///
/// The seven event messages conform in this module (`DocumentEvents.swift`, ...). Produce and
/// consume them through ``EventCodec`` so every service applies the same checks.
public protocol CairnEvent: SwiftProtobuf.Message, Equatable, Sendable {
    /// The one topic this message type is produced to.
    static var topic: EventTopic { get }
    /// The envelope: field 1 of every event message.
    var meta: Cairn_V1_EventMeta { get set }
    /// Whether `meta` is present (a decoded message without field 1 has none).
    var hasMeta: Bool { get }
    /// The Kafka record key, following ``EventTopic/keyRule``.
    var partitionKey: String { get }
    /// The payload rules beyond the envelope that a consumer relies on (ids present, sizes
    /// bounded, required enums set). ``EventCodec`` calls it; throws ``EventDecodingError/invalidPayload(reason:)``.
    func validatePayload() throws(EventDecodingError)
}

/// An event about one document: keyed by tenant and document, so everything about a
/// document stays in order.
public protocol DocumentEvent: CairnEvent {
    var documentID: String { get }
}

extension CairnEvent {
    /// Keyed by tenant (``EventTopic/keyRule``).
    public var partitionKey: String { Self.topic.keyRule.key(tenantID: meta.tenantID, documentID: "") }
}

extension DocumentEvent {
    /// Keyed by tenant and document (``EventTopic/keyRule``).
    public var partitionKey: String { Self.topic.keyRule.key(tenantID: meta.tenantID, documentID: documentID) }
}

extension CairnEvent {
    /// The newest schema version of this message that this build writes and reads.
    public static var schemaVersion: UInt32 { topic.schemaVersion }

    /// A new event with a fresh envelope (new event id, now, this message's current schema
    /// version), filled in by `build`:
    ///
    /// ```swift
    /// let event = Cairn_V1_DocumentDeleted.make(tenantID: tenant, producer: "ingestion") {
    ///     $0.documentID = id
    ///     $0.allVersions = .init()
    /// }
    /// ```
    public static func make(
        tenantID: String,
        producer: String,
        correlationID: String = "",
        _ build: (inout Self) -> Void
    ) -> Self {
        var event = Self()
        event.meta = .make(for: Self.self, tenantID: tenantID, producer: producer, correlationID: correlationID)
        build(&event)
        return event
    }
}
