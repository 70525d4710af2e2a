import CairnEvents
import CairnProtos
import Foundation
import SwiftProtobuf
import Testing

/// A newer producer adds fields (README rule 1) without bumping the schema version; this build
/// must read its events and pass the new fields through untouched.
@Suite("Forward compatibility: fields and enum values from newer producers")
struct ForwardCompatibilityTests {
    /// Field 99, wire type 2 (length-delimited), holding `text`: what a newer schema's
    /// `string future_field = 99;` looks like on the wire.
    private func unknownStringField(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        precondition(payload.count < 128)
        return [0x9A, 0x06, UInt8(payload.count)] + payload   // tag (99 << 3 | 2) as a varint
    }

    @Test func unknownTopLevelFieldIsKeptAndIgnored() throws {
        let extra = unknownStringField("routing-hint: eu-west — 東京")
        let newer = EventCodec.encode(Fixtures.documentSubmitted) + extra
        let decoded = try EventCodec.decode(Cairn_V1_DocumentSubmitted.self, from: newer)

        var known = decoded
        known.unknownFields = UnknownStorage()
        #expect(known == Fixtures.documentSubmitted)
        #expect(Array(decoded.unknownFields.data) == extra)
        // Re-encoding (a consumer that forwards the event) keeps the newer field.
        let forwardedUnchanged = EventCodec.encode(decoded) == newer
        #expect(forwardedUnchanged)
    }

    @Test func unknownEnvelopeFieldIsKeptAndIgnored() throws {
        // A second occurrence of field 1 merges into `meta` (protobuf merge semantics), so this
        // is a newer envelope with a field this build does not know.
        let extra = unknownStringField("trace=00-4bf92f3577b34da6-01")
        let newer = EventCodec.encode(Fixtures.usageRecorded) + [0x0A, UInt8(extra.count)] + extra
        let decoded = try EventCodec.decode(Cairn_V1_UsageRecorded.self, from: newer)

        #expect(Array(decoded.meta.unknownFields.data) == extra)
        #expect(decoded.meta.eventID == Fixtures.usageRecorded.meta.eventID)
        #expect(decoded.quantity == Fixtures.usageRecorded.quantity)
    }

    @Test func unknownEnumValueIsKept() throws {
        var event = Fixtures.usageRecorded
        event.kind = .UNRECOGNIZED(42)   // a UsageKind added after this build
        let decoded = try EventCodec.decode(Cairn_V1_UsageRecorded.self, from: EventCodec.encode(event))
        #expect(decoded.kind == .UNRECOGNIZED(42))
        #expect(decoded.kind.rawValue == 42)
    }

    @Test func olderProducerWithoutNewerFieldsIsRead() throws {
        // An event that sets only what the first producers of a message set still decodes; new
        // fields read as their defaults.
        let minimal = Cairn_V1_ChunksEmbedded.make(tenantID: "t1", producer: "embedding") {
            $0.documentID = "d1"
            $0.documentVersion = 1
            $0.model = "m"
            $0.dimensions = 2
            $0.batchCount = 1
            $0.chunks = [.with { $0.chunkID = "c1"; $0.vector = [0.5, -0.5] }]
        }
        let decoded = try EventCodec.decode(Cairn_V1_ChunksEmbedded.self, from: EventCodec.encode(minimal))
        #expect(decoded.title.isEmpty)
        #expect(decoded.normalized == false)
    }
}
