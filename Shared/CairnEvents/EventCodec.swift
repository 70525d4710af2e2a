import CairnProtos
import Foundation
import SwiftProtobuf

/// Encodes events for Kafka and decodes consumed records, checking the envelope and the
/// payload so that every consumer rejects the same things in the same words.
public enum EventCodec {
    /// The protobuf bytes of `event`, with map entries in key order so that an event always
    /// encodes to the same bytes (a resend is byte-identical). It does not check the event:
    /// call ``check(_:)`` first where the event is not built from trusted values, so a bad event
    /// fails at the producer rather than in a DLQ.
    public static func encode<Event: CairnEvent>(_ event: Event) -> [UInt8] {
        do {
            return try event.serializedBytes(options: encodingOptions)
        } catch {
            // Binary encoding of a proto3 message without `Any` fields only fails above 2 GiB,
            // which no event gets near (the broker refuses records over a few MiB).
            preconditionFailure("encoding \(Event.protoMessageName) failed: \(error)")
        }
    }

    private static let encodingOptions = {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return options
    }()

    /// Decodes a record's value as `type` and checks it (``check(_:)``). Fields unknown to this
    /// build (added by newer producers) are kept and ignored, so additive changes never fail.
    public static func decode<Event: CairnEvent, Bytes: SwiftProtobufContiguousBytes>(
        _ type: Event.Type,
        from bytes: Bytes
    ) throws(EventDecodingError) -> Event {
        guard bytes.count > 0 else {
            throw .undecodable(reason: "empty record value, expected a \(Event.protoMessageName) message")
        }
        let event: Event
        do {
            event = try Event(serializedBytes: bytes)
        } catch {
            throw .undecodable(
                reason: "\(bytes.count) bytes are not a valid \(Event.protoMessageName) protobuf message (\(error))"
            )
        }
        try check(event)
        return event
    }

    /// The checks ``decode(_:from:)`` applies: the envelope, then ``CairnEvent/validatePayload()``.
    public static func check<Event: CairnEvent>(_ event: Event) throws(EventDecodingError) {
        let name = Event.protoMessageName
        guard event.hasMeta else {
            throw .invalidEnvelope(reason: "\(name) has no meta (field 1)")
        }
        let meta = event.meta
        // The version first: a newer schema may break any other rule, and "upgrade" is the fix.
        guard meta.schemaVersion != 0 else {
            throw .invalidEnvelope(reason: "\(name) meta.schema_version is 0 (unset); versions start at 1")
        }
        guard meta.schemaVersion <= Event.schemaVersion else {
            throw .unsupportedSchemaVersion(found: meta.schemaVersion, supported: Event.schemaVersion)
        }
        guard UUID(uuidString: meta.eventID) != nil else {
            throw .invalidEnvelope(reason: "\(name) meta.event_id \(quoted(meta.eventID)) is not a UUID")
        }
        guard !meta.tenantID.isEmpty else {
            throw .invalidEnvelope(reason: "\(name) meta.tenant_id is empty")
        }
        guard meta.hasOccurredAt else {
            throw .invalidEnvelope(reason: "\(name) meta.occurred_at is missing")
        }
        guard !meta.producer.isEmpty else {
            throw .invalidEnvelope(reason: "\(name) meta.producer is empty")
        }
        try event.validatePayload()
    }

    /// `value` in quotes, cut to 64 characters: reasons end up in headers and logs.
    private static func quoted(_ value: String) -> String {
        value.count <= 64 ? "\"\(value)\"" : "\"\(value.prefix(64))…\""
    }
}
