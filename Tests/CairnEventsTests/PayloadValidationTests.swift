import CairnEvents
import CairnProtos
import Foundation
import SwiftProtobuf
import Testing

@Suite("Payload rules consumers rely on")
struct PayloadValidationTests {
    private func reason<Event: CairnEvent>(_ event: Event) -> String? {
        let error = decodingError { () throws(EventDecodingError) in
            _ = try EventCodec.decode(Event.self, from: EventCodec.encode(event))
        }
        guard case .invalidPayload(let reason)? = error else {
            Issue.record("expected .invalidPayload, got \(String(describing: error))")
            return nil
        }
        #expect(error?.code == "invalid_payload")
        return reason
    }

    @Test func everyFixtureIsValid() throws {
        try EventCodec.check(Fixtures.documentSubmitted)
        try EventCodec.check(Fixtures.pdfSubmitted)
        try EventCodec.check(Fixtures.chunksCreated)
        try EventCodec.check(Fixtures.chunksEmbedded)
        try EventCodec.check(Fixtures.documentDeletedVersion)
        try EventCodec.check(Fixtures.documentDeletedAll)
        try EventCodec.check(Fixtures.usageRecorded)
        try EventCodec.check(Fixtures.quotaWarning)
        try EventCodec.check(Fixtures.auditEvent)
    }

    @Test func documentContentIsBounded() throws {
        var event = Fixtures.pdfSubmitted
        event.raw = Data(count: EventLimits.maxInlineContentBytes)
        try EventCodec.check(event)
        event.raw = Data(count: EventLimits.maxInlineContentBytes + 1)
        #expect(reason(event) == "cairn.v1.DocumentSubmitted content is 786433 bytes, above the 786432-byte inline limit")
        // Text is measured in UTF-8 bytes, not characters.
        event.text = String(repeating: "東", count: EventLimits.maxInlineContentBytes / 3 + 1)
        #expect(reason(event)?.contains("content is 786435 bytes") == true)
    }

    @Test func documentNeedsIDCollectionAndContent() {
        var event = Fixtures.documentSubmitted
        event.content = nil
        #expect(reason(event) == "cairn.v1.DocumentSubmitted has no content (neither raw, text nor upload_id is set)")
        // An upload ingestion stored stands in for inline content, but not beside it.
        event.uploadID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
        #expect(throws: Never.self) { try EventCodec.check(event) }
        event.text = "inline too"
        #expect(reason(event) == "cairn.v1.DocumentSubmitted sets both inline content and upload_id")
        event.collectionID = ""
        #expect(reason(event) == "cairn.v1.DocumentSubmitted collection_id is empty")
        event.documentID = ""
        #expect(reason(event) == "cairn.v1.DocumentSubmitted document_id is empty")
    }

    @Test func indexedConfirmationsNeedAVersionAndABatch() {
        var event = Cairn_V1_DocumentIndexed.make(tenantID: Fixtures.tenantID, producer: "vector-search") {
            $0.documentID = Fixtures.documentID
            $0.documentVersion = 2
            $0.batchIndex = 0
            $0.batchCount = 1
            $0.chunkCount = 12
        }
        #expect(throws: Never.self) { try EventCodec.check(event) }
        event.batchIndex = 1
        #expect(reason(event) != nil)
        event.batchIndex = 0
        event.documentVersion = 0
        #expect(reason(event)?.contains("document_version is 0") == true)
    }

    @Test func deletionScopeIsExplicit() {
        var event = Fixtures.documentDeletedAll
        event.scope = nil
        #expect(reason(event) == "cairn.v1.DocumentDeleted sets neither version nor all_versions")
        event.version = 0
        #expect(reason(event)?.hasPrefix("cairn.v1.DocumentDeleted version is 0") == true)
    }

    @Test func vectorsMatchDimensions() {
        var event = Fixtures.chunksEmbedded
        event.chunks[2].vector.removeLast()
        #expect(reason(event) == "cairn.v1.ChunksEmbedded chunks[2].vector has 383 values, dimensions is 384")
    }

    @Test func batchPositionIsChecked() {
        var event = Fixtures.chunksCreated
        event.batchIndex = 2
        #expect(reason(event) == "cairn.v1.ChunksCreated batch_index 2 is not below batch_count 2")
        event.batchCount = 0
        #expect(reason(event)?.contains("batch_count is 0") == true)
    }

    @Test func chunkSpansAreOrdered() {
        var event = Fixtures.chunksCreated
        event.chunks[1].charEnd = event.chunks[1].charStart - 1
        #expect(reason(event) == "cairn.v1.ChunksCreated chunks[1] span [400, 399) ends before it starts")
    }

    @Test func requiredEnumsAreSet() {
        var usage = Fixtures.usageRecorded
        usage.kind = .unspecified
        #expect(reason(usage) == "cairn.v1.UsageRecorded kind is UNSPECIFIED")
        var audit = Fixtures.auditEvent
        audit.outcome = .unspecified
        #expect(reason(audit) == "cairn.v1.AuditEvent outcome is UNSPECIFIED")
        var quota = Fixtures.quotaWarning
        quota.kind = .unspecified
        #expect(reason(quota) == "cairn.v1.QuotaWarning kind is UNSPECIFIED")
    }

    @Test func usageQuantityIsNotNegative() {
        var usage = Fixtures.usageRecorded
        usage.quantity = -5
        #expect(reason(usage) == "cairn.v1.UsageRecorded quantity -5 is negative")
    }

    @Test func quotaPeriodIsOrdered() {
        var quota = Fixtures.quotaWarning
        quota.periodEnd = quota.periodStart
        #expect(reason(quota) == "cairn.v1.QuotaWarning period_end is not after period_start")
    }
}
