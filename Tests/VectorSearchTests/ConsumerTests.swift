import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import Foundation
import Testing
@testable import VectorSearchApp

/// The chunk consumer against the real broker and Postgres.
@Suite("Chunk consumer", .serialized)
struct ConsumerTests {
    @Test("embedded chunks are stored, indexed and confirmed; redelivery changes nothing; deletions remove exactly one version")
    func storeConfirmDelete() async throws {
        try await VectorSearchHarness.run { h in
            let tenant = UUID()
            let first = VectorSearchHarness.embedded(tenant: tenant, document: "doc1", vectors: (0..<4).map { axis($0) }, batch: (0, 2))
            let second = VectorSearchHarness.embedded(tenant: tenant, document: "doc1", vectors: (4..<6).map { axis($0) }, batch: (1, 2), firstOrdinal: 4)
            let other = VectorSearchHarness.embedded(tenant: tenant, document: "doc1", version: 2, vectors: [axis(7)])
            try await h.publish([first, second, other])
            try await h.awaitChunks(tenant, 7)

            // Confirmations: one DocumentIndexed per stored batch.
            let confirmations = try await TopicReader.read(h.indexedTopic) { $0.count >= 3 }
            let events = try confirmations.map { try EventCodec.decode(Cairn_V1_DocumentIndexed.self, from: $0.value) }
            #expect(Set(events.map { "\($0.documentVersion)/\($0.batchIndex)/\($0.chunkCount)" }) == ["1/0/4", "1/1/2", "2/0/1"])
            #expect(events.allSatisfy { $0.collectionID == "docs" && $0.meta.tenantID == tenant.uuidString.lowercased() })
            let status = try await h.call(.get, "/v1/internal/documents/doc1/versions/1/indexed?tenant_id=\(tenant.uuidString)",
                                          token: h.tokens.token(.service, tenant: nil))
            #expect(status.status == .ok)
            #expect(status["indexed"] as? Bool == true && status.int("chunk_count") == 6 && status.int("batch_count") == 2)

            // Redelivery: same rows, same index.
            try await h.publish([first, second])
            try await h.publish([VectorSearchHarness.embedded(tenant: tenant, document: "marker", vectors: [axis(3)])])
            try await h.awaitChunks(tenant, 8)
            #expect(h.registry.index(CollectionKey(tenantID: tenant.uuidString.lowercased(), collectionID: "docs"))!.stats.graphNodes == 8)

            // Delete version 1 only.
            try await h.publish(VectorSearchHarness.deleted(tenant: tenant, document: "doc1", version: 1), to: h.deletionsTopic)
            try await h.awaitChunks(tenant, 2)
            #expect(try await h.storedChunks(tenant) == ["doc1-v2-0", "marker-v1-0"])
            let hits = try await h.search(tenant, ["vector": axis(0), "top_k": 10, "strategy": "vector"])
            #expect(Set(hits.array("results")!.map { $0["chunk_id"] as! String }) == ["doc1-v2-0", "marker-v1-0"])
            let gone = try await h.call(.get, "/v1/internal/documents/doc1/versions/1/indexed?tenant_id=\(tenant.uuidString)",
                                        token: h.tokens.token(.service, tenant: nil))
            #expect(gone.status == .notFound)

            // A late batch of the deleted version is dropped, not resurrected.
            try await h.publish([first])
            try await h.publish([VectorSearchHarness.embedded(tenant: tenant, document: "marker2", vectors: [axis(2)])])
            try await h.awaitChunks(tenant, 3)
            #expect(try await h.storedChunks(tenant) == ["doc1-v2-0", "marker-v1-0", "marker2-v1-0"])
        }
    }

    @Test("an undecodable record goes to the DLQ and the consumer moves on")
    func poison() async throws {
        try await VectorSearchHarness.run { h in
            let tenant = UUID()
            _ = try await h.producer.send(KafkaRecord(topic: h.chunksTopic, key: "x", value: [0xFF, 0x00, 0x13]))
            var bad = VectorSearchHarness.embedded(tenant: tenant, document: "bad", vectors: [axis(1)])
            bad.meta.tenantID = "not-a-uuid"
            try await h.publish([bad])
            try await h.publish([VectorSearchHarness.embedded(tenant: tenant, document: "good", vectors: [axis(1), axis(2)])])
            try await h.awaitChunks(tenant, 2)
            let dead = try await TopicReader.read(h.chunksTopic + ".dlq") { $0.count >= 2 }
            #expect(dead.count == 2)
        }
    }

    @Test("a restart rebuilds the indexes from Postgres: same chunks, same answers")
    func restart() async throws {
        try await TestDatabase.withFresh(prefix: "vectors") { database in
            let environment = try await VectorSearchHarness.environment(database: database.database)
            let tokens = try TestTokens()
            let tenant = UUID()
            var data = TestVectors(dimensions: 32, seed: 42)
            let vectors = data.make(600)
            let queries = data.make(20)
            let categories = ["a", "b", "c"]
            let events = stride(from: 0, to: 600, by: 50).map { start in
                VectorSearchHarness.embedded(
                    tenant: tenant, document: "doc\(start / 50)", vectors: Array(vectors[start..<start + 50]),
                    metadata: ["category": categories[(start / 50) % 3], "tags": "x,y"]
                )
            }
            let before = NIOLockedBox<[[String]]>([])
            try await VectorSearchHarness.run(database: database, environment: environment, tokens: tokens) { h in
                try await h.publish(events)
                try await h.awaitChunks(tenant, 600)
                var answers: [[String]] = []
                for query in queries {
                    let reply = try await h.search(tenant, ["vector": query, "top_k": 10, "strategy": "vector", "filters": ["category": "b"]])
                    answers.append(reply.array("results")!.map { $0["chunk_id"] as! String })
                }
                before.value = answers
            }
            try await VectorSearchHarness.run(database: database, environment: environment, tokens: tokens) { h in
                #expect(h.indexedChunks(tenant) == 600)
                // The collection versions are loaded with the indexes: searches report the stored ones.
                let stored = try await h.call(.get, "/v1/internal/collections/versions?tenant_id=\(tenant.uuidString)",
                                              token: try await h.tokens.token(.service, tenant: nil)).object("collections")?["docs"] as? Int
                #expect((stored ?? 0) >= 1)
                #expect(try await h.search(tenant, ["query": "chunk"]).object("collection_versions")?["docs"] as? Int == stored)
                for (query, expected) in zip(queries, before.value) {
                    let reply = try await h.search(tenant, ["vector": query, "top_k": 10, "strategy": "vector", "filters": ["category": "b"]])
                    #expect(reply.array("results")!.map { $0["chunk_id"] as! String } == expected)
                }
            }
        }
    }
}

/// A mutable box for values a @Sendable closure hands back (tests only).
final class NIOLockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
