import CairnEvents
import CairnProtos
import Testing

@Suite("Topics, keys and DLQs")
struct EventTopicTests {
    @Test func namesAreUniqueAndVersioned() {
        let names = EventTopic.allCases.map(\.name)
        let dlqs = EventTopic.allCases.map(\.dlqName)
        #expect(Set(names).count == EventTopic.allCases.count)
        #expect(Set(names + dlqs).count == 2 * EventTopic.allCases.count)
        for topic in EventTopic.allCases {
            #expect(topic.name.hasPrefix("cairn."))
            #expect(topic.name.hasSuffix(".v1"))
            #expect(topic.dlqName == topic.name + ".dlq")
            #expect(EventTopic(rawValue: topic.name) == topic)
        }
    }

    @Test func theDocumentedTable() {
        let table = EventTopic.allCases.map { "\($0.name) \($0.messageName) \($0.keyRule) \($0.partitions) v\($0.schemaVersion)" }
        #expect(table == [
            "cairn.documents.submitted.v1 cairn.v1.DocumentSubmitted tenant_id/document_id 6 v1",
            "cairn.chunks.created.v1 cairn.v1.ChunksCreated tenant_id/document_id 6 v1",
            "cairn.chunks.embedded.v1 cairn.v1.ChunksEmbedded tenant_id/document_id 6 v1",
            "cairn.documents.deleted.v1 cairn.v1.DocumentDeleted tenant_id/document_id 6 v1",
            "cairn.documents.indexed.v1 cairn.v1.DocumentIndexed tenant_id/document_id 6 v1",
            "cairn.usage.v1 cairn.v1.UsageRecorded tenant_id 3 v1",
            "cairn.quota.warnings.v1 cairn.v1.QuotaWarning tenant_id 3 v1",
            "cairn.audit.v1 cairn.v1.AuditEvent tenant_id 3 v1",
        ])
    }

    @Test func eachMessageTypeNamesItsTopic() {
        for topic in EventTopic.allCases {
            #expect(topic.eventType.topic == topic)
        }
        #expect(Set(EventTopic.allCases.map(\.messageName)).count == EventTopic.allCases.count)
    }

    @Test func documentAndChunkEventsAreKeyedByTenantAndDocument() {
        let key = "\(Fixtures.tenantID)/\(Fixtures.documentID)"
        #expect(Fixtures.documentSubmitted.partitionKey == key)
        #expect(Fixtures.chunksCreated.partitionKey == key)
        #expect(Fixtures.chunksEmbedded.partitionKey == key)
        #expect(Fixtures.documentDeletedVersion.partitionKey == key)
        #expect(Fixtures.documentDeletedAll.partitionKey == key)
    }

    @Test func usageQuotaAndAuditEventsAreKeyedByTenant() {
        #expect(Fixtures.usageRecorded.partitionKey == Fixtures.tenantID)
        #expect(Fixtures.quotaWarning.partitionKey == Fixtures.tenantID)
        #expect(Fixtures.auditEvent.partitionKey == Fixtures.tenantID)
    }

    @Test func sameDocumentSameKeyOtherTenantOtherKey() {
        var other = Fixtures.chunksEmbedded
        other.meta.tenantID = "another-tenant"
        #expect(other.partitionKey != Fixtures.chunksEmbedded.partitionKey)
        #expect(Fixtures.chunksCreated.partitionKey == Fixtures.chunksEmbedded.partitionKey)
    }
}
