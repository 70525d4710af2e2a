import CairnEvents
import CairnProtos
import Foundation
import SwiftProtobuf
import Testing

@Suite("Round trip: every event survives encode → decode unchanged")
struct RoundTripTests {
    /// Encodes, decodes with the checking codec, and expects an identical message.
    private func roundTrip<Event: CairnEvent>(_ event: Event) throws -> Event {
        let bytes = EventCodec.encode(event)
        let decoded = try EventCodec.decode(Event.self, from: bytes)
        #expect(decoded == event)
        let reencodedIdentically = EventCodec.encode(decoded) == bytes   // a Bool: no byte dump on failure
        #expect(reencodedIdentically)
        return decoded
    }

    @Test func documentSubmittedText() throws {
        let decoded = try roundTrip(Fixtures.documentSubmitted)
        #expect(decoded.text.contains(Fixtures.unicodeText))
        #expect(decoded.metadata["author"] == "Zoë Ångström")
        #expect(decoded.meta.correlationID == "req-01HZX3V2")
        #expect(decoded.meta.schemaVersion == 1)
    }

    @Test func documentSubmittedRawBytes() throws {
        let decoded = try roundTrip(Fixtures.pdfSubmitted)
        #expect(decoded.raw == Fixtures.pdfSubmitted.raw)
        if case .raw? = decoded.content {} else { Issue.record("content should be raw, was \(String(describing: decoded.content))") }
    }

    @Test func chunksCreated() throws {
        let decoded = try roundTrip(Fixtures.chunksCreated)
        #expect(decoded.chunks.count == 3)
        #expect(decoded.chunks[2].metadata["heading"] == "§ 2 Erstattung — 精算")
        #expect(decoded.chunks[1].text.hasSuffix("e\u{301}"))
    }

    @Test func chunksEmbeddedVectorsAreBitExact() throws {
        let decoded = try roundTrip(Fixtures.chunksEmbedded)
        for (original, copy) in zip(Fixtures.chunksEmbedded.chunks, decoded.chunks) {
            #expect(copy.vector.count == 384)
            #expect(copy.vector.map(\.bitPattern) == original.vector.map(\.bitPattern))
        }
    }

    @Test func chunksEmbeddedVectorsArePacked() throws {
        // 4 chunks × 384 floats × 4 bytes, plus a little framing: packed encoding costs no
        // per-value tag (unpacked would add ~1.5 KiB per chunk).
        let bytes = EventCodec.encode(Fixtures.chunksEmbedded)
        let vectorBytes = 4 * 384 * 4
        #expect(bytes.count < vectorBytes + 4 * 400 + 600)
    }

    @Test(arguments: [Fixtures.documentDeletedVersion, Fixtures.documentDeletedAll])
    func documentDeleted(event: Cairn_V1_DocumentDeleted) throws {
        let decoded = try roundTrip(event)
        #expect(decoded.scope == event.scope)
    }

    @Test func usageRecordedKeepsExactInt64() throws {
        let decoded = try roundTrip(Fixtures.usageRecorded)
        #expect(decoded.quantity == 9_007_199_254_740_993)
        #expect(decoded.kind == .chatTokensOut)
        #expect(decoded.attributes["région"] == "eu-west")
    }

    @Test func quotaWarning() throws {
        let decoded = try roundTrip(Fixtures.quotaWarning)
        #expect(decoded.periodEnd.date == Date(timeIntervalSince1970: 1_738_368_000))
    }

    @Test func auditEvent() throws {
        let decoded = try roundTrip(Fixtures.auditEvent)
        #expect(decoded.details["name"] == "Prod-Schlüssel")
        #expect(decoded.outcome == .success)
    }

    @Test func encodingIsDeterministic() {
        // Swift dictionaries with equal contents may iterate in different orders (storage of
        // another capacity, per-instance seeds); maps are written in key order regardless.
        let reference = EventCodec.encode(Fixtures.chunksCreated)
        for capacity in [0, 3, 17, 64, 500] {
            var copy = Fixtures.chunksCreated
            for index in copy.chunks.indices {
                var metadata = [String: String](minimumCapacity: capacity)
                for (key, value) in copy.chunks[index].metadata { metadata[key] = value }
                for extra in 0..<8 { metadata["k\(extra)"] = "v\(extra)" }
                copy.chunks[index].metadata = metadata
            }
            var expected = Fixtures.chunksCreated
            for index in expected.chunks.indices {
                for extra in 0..<8 { expected.chunks[index].metadata["k\(extra)"] = "v\(extra)" }
            }
            let same = EventCodec.encode(copy) == EventCodec.encode(expected)
            #expect(same, "capacity \(capacity)")
        }
        #expect(reference == EventCodec.encode(Fixtures.chunksCreated))
    }

    @Test func decodesFromData() throws {
        let data = Data(EventCodec.encode(Fixtures.auditEvent))
        #expect(try EventCodec.decode(Cairn_V1_AuditEvent.self, from: data) == Fixtures.auditEvent)
    }
}

@Suite("EventMeta.make")
struct EventMetaTests {
    @Test func fillsAFreshEnvelope() throws {
        let before = Date()
        let a = Cairn_V1_EventMeta.make(for: Cairn_V1_UsageRecorded.self, tenantID: "t1", producer: "gateway")
        let b = Cairn_V1_EventMeta.make(for: Cairn_V1_UsageRecorded.self, tenantID: "t1", producer: "gateway")
        #expect(UUID(uuidString: a.eventID) != nil)
        #expect(a.eventID == a.eventID.lowercased())
        #expect(a.eventID != b.eventID)
        #expect(a.tenantID == "t1")
        #expect(a.producer == "gateway")
        #expect(a.schemaVersion == Cairn_V1_UsageRecorded.schemaVersion)
        #expect(a.schemaVersion == 1)
        #expect(a.hasOccurredAt)
        #expect(abs(a.occurredAt.date.timeIntervalSince(before)) < 60)
    }
}
