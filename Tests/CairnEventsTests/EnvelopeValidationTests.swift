import CairnEvents
import CairnProtos
import Foundation
import SwiftProtobuf
import Testing

/// Runs `body`, expecting it to throw an `EventDecodingError`, and returns it.
func decodingError(_ body: () throws(EventDecodingError) -> Void) -> EventDecodingError? {
    do {
        try body()
        Issue.record("expected an EventDecodingError, got success")
        return nil
    } catch {
        return error
    }
}

/// `event` with `change` applied to its envelope, encoded.
func bytes<Event: CairnEvent>(of event: Event, changingMeta change: (inout Cairn_V1_EventMeta) -> Void) -> [UInt8] {
    var event = event
    change(&event.meta)
    return EventCodec.encode(event)
}

@Suite("The codec rejects what it cannot trust, with a clear reason")
struct EnvelopeValidationTests {
    @Test(arguments: [
        [0x0A, 0x05, 0x01],                                                    // length 5, 1 byte follows
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],    // varint longer than 10 bytes
        [0x0F],                                                                // wire type 7 does not exist
        Array("not protobuf at all".utf8),
        [UInt8](repeating: 0xAB, count: 64),
    ] as [[UInt8]])
    func garbageIsUndecodable(garbage: [UInt8]) {
        let error = decodingError { () throws(EventDecodingError) in
            _ = try EventCodec.decode(Cairn_V1_DocumentSubmitted.self, from: garbage)
        }
        guard case .undecodable(let reason)? = error else {
            Issue.record("expected .undecodable, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("cairn.v1.DocumentSubmitted"))
        #expect(error?.code == "undecodable")
    }

    @Test func emptyValueIsUndecodable() {
        let error = decodingError { () throws(EventDecodingError) in
            _ = try EventCodec.decode(Cairn_V1_AuditEvent.self, from: [UInt8]())
        }
        #expect(error == .undecodable(reason: "empty record value, expected a cairn.v1.AuditEvent message"))
    }

    @Test(arguments: [2, 99, UInt32.max] as [UInt32])
    func newerSchemaVersionIsRejected(version: UInt32) {
        for topic in EventTopic.allCases {
            let error = decodingError { () throws(EventDecodingError) in
                try rejectsNewerVersion(topic.eventType, version: version)
            }
            #expect(error == .unsupportedSchemaVersion(found: version, supported: 1), "\(topic)")
            let message = String(describing: error.map { $0 as any Error } ?? CancellationError())
            #expect(message.contains("unsupported schema version \(version)"))
            #expect(message.contains("supports schema versions up to 1"))
        }
    }

    /// Opens the existential so each topic's own message type is tested.
    private func rejectsNewerVersion<Event: CairnEvent>(_ type: Event.Type, version: UInt32) throws(EventDecodingError) {
        var event = Event()
        event.meta = .make(for: Event.self, tenantID: "t1", producer: "test")
        event.meta.schemaVersion = version
        // Even a payload that is otherwise empty/invalid reports the version first.
        _ = try EventCodec.decode(Event.self, from: EventCodec.encode(event))
    }

    @Test func currentSchemaVersionIsAccepted() throws {
        let event = try EventCodec.decode(
            Cairn_V1_UsageRecorded.self,
            from: bytes(of: Fixtures.usageRecorded) { $0.schemaVersion = 1 }
        )
        #expect(event.meta.schemaVersion == 1)
    }

    @Test func schemaVersionZeroIsInvalid() {
        let error = decodingError { () throws(EventDecodingError) in
            _ = try EventCodec.decode(Cairn_V1_UsageRecorded.self, from: bytes(of: Fixtures.usageRecorded) { $0.schemaVersion = 0 })
        }
        #expect(error == .invalidEnvelope(reason: "cairn.v1.UsageRecorded meta.schema_version is 0 (unset); versions start at 1"))
    }

    @Test func missingTenantIsInvalid() {
        let error = decodingError { () throws(EventDecodingError) in
            _ = try EventCodec.decode(Cairn_V1_ChunksCreated.self, from: bytes(of: Fixtures.chunksCreated) { $0.tenantID = "" })
        }
        #expect(error == .invalidEnvelope(reason: "cairn.v1.ChunksCreated meta.tenant_id is empty"))
        #expect(error?.description == "invalid event envelope: cairn.v1.ChunksCreated meta.tenant_id is empty")
        #expect(error?.code == "invalid_envelope")
    }

    @Test func missingMetaIsInvalid() {
        var event = Fixtures.auditEvent
        event.clearMeta()
        let error = decodingError { () throws(EventDecodingError) in
            _ = try EventCodec.decode(Cairn_V1_AuditEvent.self, from: EventCodec.encode(event))
        }
        #expect(error == .invalidEnvelope(reason: "cairn.v1.AuditEvent has no meta (field 1)"))
    }

    @Test(arguments: [
        ("", "meta.event_id \"\" is not a UUID"),
        ("42", "meta.event_id \"42\" is not a UUID"),
        (String(repeating: "x", count: 100), "meta.event_id \"\(String(repeating: "x", count: 64))…\" is not a UUID"),
    ])
    func eventIDMustBeAUUID(eventID: String, reason: String) {
        let error = decodingError { () throws(EventDecodingError) in
            _ = try EventCodec.decode(Cairn_V1_QuotaWarning.self, from: bytes(of: Fixtures.quotaWarning) { $0.eventID = eventID })
        }
        #expect(error == .invalidEnvelope(reason: "cairn.v1.QuotaWarning " + reason))
    }

    @Test func uppercaseUUIDIsAccepted() throws {
        let id = UUID().uuidString   // Foundation writes uppercase; other producers may too
        let event = try EventCodec.decode(Cairn_V1_QuotaWarning.self, from: bytes(of: Fixtures.quotaWarning) { $0.eventID = id })
        #expect(event.meta.eventID == id)
    }

    @Test func missingOccurredAtAndProducerAreInvalid() {
        let noTime = decodingError { () throws(EventDecodingError) in
            _ = try EventCodec.decode(Cairn_V1_AuditEvent.self, from: bytes(of: Fixtures.auditEvent) { $0.clearOccurredAt() })
        }
        #expect(noTime == .invalidEnvelope(reason: "cairn.v1.AuditEvent meta.occurred_at is missing"))
        let noProducer = decodingError { () throws(EventDecodingError) in
            _ = try EventCodec.decode(Cairn_V1_AuditEvent.self, from: bytes(of: Fixtures.auditEvent) { $0.producer = "" })
        }
        #expect(noProducer == .invalidEnvelope(reason: "cairn.v1.AuditEvent meta.producer is empty"))
    }
}
