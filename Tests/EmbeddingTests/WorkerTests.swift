import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import Foundation
import HummingbirdTesting
import Testing

/// The Kafka worker end to end: `ChunksCreated` in, `ChunksEmbedded` and usage out, poison to
/// the DLQ, collections routed to their provider. (Needs the real model and tokenizer.)
@Suite struct WorkerTests {
    @Test func chunksCreatedBecomeChunksEmbeddedWithUsage() async throws {
        try await EmbeddingHarness.run(worker: true) { harness in
            let inputs = [
                EmbeddingHarness.chunksCreated(tenant: harness.tenant, texts: ["The first chunk of the first document.", "Its second chunk."],
                                               metadata: ["author": "ada", "lang": "en"]),
                EmbeddingHarness.chunksCreated(tenant: harness.tenant, version: 3, texts: (0..<7).map { "Chunk \($0) of a longer document about rivers." },
                                               batchIndex: 1, batchCount: 2),
                EmbeddingHarness.chunksCreated(tenant: harness.tenant, texts: []),
            ]
            try await harness.publish(inputs)
            let outputs = try await TopicReader.events(Cairn_V1_ChunksEmbedded.self, on: harness.embeddedTopic) { $0.count >= inputs.count }
            #expect(outputs.count == inputs.count)
            for input in inputs {
                let output = try #require(outputs.first { $0.documentID == input.documentID })
                #expect(output.meta.tenantID == input.meta.tenantID)
                #expect(output.meta.producer == "embedding")
                #expect(output.meta.correlationID == input.meta.correlationID)
                #expect(output.meta.eventID != input.meta.eventID)
                #expect(output.documentVersion == input.documentVersion)
                #expect(output.model == "all-MiniLM-L6-v2" && output.dimensions == 384 && output.normalized)
                #expect(output.batchIndex == input.batchIndex && output.batchCount == input.batchCount)
                #expect(output.title == input.title && output.sourceUri == input.sourceUri)
                #expect(output.chunks.count == input.chunks.count)
                for (chunk, embedded) in zip(input.chunks, output.chunks) {
                    #expect(embedded.chunkID == chunk.chunkID && embedded.ordinal == chunk.ordinal && embedded.text == chunk.text)
                    #expect(embedded.metadata == chunk.metadata && embedded.tokenCount == chunk.tokenCount)
                    #expect(embedded.charStart == chunk.charStart && embedded.charEnd == chunk.charEnd)
                    #expect(embedded.vector.count == 384)
                }
            }
            // The worker's vectors are the API's.
            let first = try #require(outputs.first { $0.documentID == inputs[0].documentID })
            let api = try await harness.embed(["input": inputs[0].chunks.map(\.text)])
            for (embedded, vector) in zip(first.chunks, EmbeddingHarness.vectors(api)) {
                #expect(cosine(embedded.vector, vector) >= 0.9999)
            }
            // One usage event per input that had tokens, keyed by the input event.
            let tenant = harness.tenant.uuidString.lowercased()
            let usage = try await TopicReader.events(Cairn_V1_UsageRecorded.self, on: harness.usageTopic) { events in
                events.filter { $0.meta.tenantID == tenant && $0.usageID.hasPrefix("embedding-chunks:") }.count >= 2
            }.filter { $0.usageID.hasPrefix("embedding-chunks:") }
            #expect(Set(usage.map(\.usageID)) == Set(inputs.prefix(2).map { "embedding-chunks:\($0.meta.eventID)" }))
            for event in usage {
                #expect(event.kind == .embeddingTokens && event.subjectType == .service && event.subjectID == "embedding")
                #expect(event.quantity > 0)
                #expect(inputs.contains { $0.documentID == event.documentID })
            }
        }
    }

    @Test func poisonMessagesGoToTheDLQAndTheWorkerMovesOn() async throws {
        try await EmbeddingHarness.run(worker: true, ["CAIRN_EMBEDDING_MAX_RECORD_BYTES": "10000"]) { harness in
            var noVersion = EmbeddingHarness.chunksCreated(tenant: harness.tenant, texts: ["no version"])
            noVersion.documentVersion = 0
            var mixed = EmbeddingHarness.chunksCreated(tenant: harness.tenant, texts: ["in one collection", "in another"])
            mixed.chunks[0].metadata["collection_id"] = "c-1"
            mixed.chunks[1].metadata["collection_id"] = "c-2"
            let oversized = EmbeddingHarness.chunksCreated(tenant: harness.tenant, texts: (0..<8).map { "chunk \($0)" })
            let good = EmbeddingHarness.chunksCreated(tenant: harness.tenant, texts: ["a perfectly good chunk"])
            try await EmbeddingHarness.publish(
                [KafkaRecord(topic: harness.chunksTopic, key: "garbage", value: Array("not protobuf at all".utf8))]
                    + [noVersion, mixed, oversized, good].map { KafkaRecord(topic: harness.chunksTopic, key: $0.partitionKey, value: EventCodec.encode($0)) }
            )
            let dead = try await TopicReader.read(harness.chunksTopic + ".dlq") { $0.count >= 4 }
            let reasons = dead.map { String(decoding: $0.header("cairn-dlq-error") ?? [], as: UTF8.self) }
            #expect(dead.count == 4)
            #expect(reasons.contains { $0.contains("undecodable") })
            #expect(reasons.contains { $0.contains("document_version is 0") })
            #expect(reasons.contains { $0.contains("2 collections") })
            #expect(reasons.contains { $0.contains("record limit") })
            #expect(dead.allSatisfy { $0.header("cairn-dlq-topic") == Array(harness.chunksTopic.utf8) })
            let outputs = try await TopicReader.events(Cairn_V1_ChunksEmbedded.self, on: harness.embeddedTopic) { $0.contains { $0.documentID == good.documentID } }
            #expect(outputs.map(\.documentID) == [good.documentID], "only the good one was embedded")
        }
    }

    @Test func aCollectionConfiguredForARemoteProviderIsEmbeddedThere() async throws {
        let fake = FakeOpenAI()
        try await fake.application().test(.live) { provider in
            let providers = """
                {"providers": {"fake": {"base_url": "http://127.0.0.1:\(try #require(provider.port))/v1", "model": "fake-embed", "dimensions": 8}},
                 "collections": {"col-remote": "fake"}}
                """
            try await EmbeddingHarness.run(worker: true, ["CAIRN_EMBEDDING_PROVIDERS": providers]) { harness in
                // Fresh texts: the shared test Redis may hold vectors of earlier runs.
                let remote = EmbeddingHarness.chunksCreated(
                    tenant: harness.tenant, texts: ["to the provider \(harness.tenant)", "also there \(harness.tenant)"], metadata: ["collection_id": "col-remote"]
                )
                let local = EmbeddingHarness.chunksCreated(tenant: harness.tenant, texts: ["stays local"], metadata: ["collection_id": "col-other"])
                try await harness.publish([remote, local])
                let outputs = try await TopicReader.events(Cairn_V1_ChunksEmbedded.self, on: harness.embeddedTopic) { $0.count >= 2 }
                let fromRemote = try #require(outputs.first { $0.documentID == remote.documentID })
                #expect(fromRemote.model == "fake-embed" && fromRemote.dimensions == 8)
                #expect(fromRemote.chunks.allSatisfy { $0.vector.count == 8 })
                #expect(fake.received.all.flatMap(\.inputs).contains("to the provider \(harness.tenant)"))
                let fromLocal = try #require(outputs.first { $0.documentID == local.documentID })
                #expect(fromLocal.model == "all-MiniLM-L6-v2" && fromLocal.dimensions == 384)
            }
        }
    }
}
