import Foundation
import Testing
@testable import VectorSearchApp

@Suite("Collection index")
struct CollectionIndexTests {
    static let categories = ["manual", "faq", "policy", "report"]

    /// `count` chunks over `count / 10` documents, with metadata cycling through a few values.
    static func chunks(_ count: Int, dimensions: Int = 32, seed: UInt64 = 1, version: Int = 1) -> [IndexedChunk] {
        var data = TestVectors(dimensions: dimensions, seed: seed)
        return (0..<count).map { i in
            let record = ChunkRecord(
                chunkID: "c\(i)", documentID: "d\(i / 10)", documentVersion: version, ordinal: i % 10,
                text: "chunk \(i) about \(categories[i % 4]) topic\(i % 7)", title: "Doc \(i / 10)",
                category: categories[i % 4], tags: i % 3 == 0 ? ["red", "blue"] : (i % 3 == 1 ? ["red"] : ["green"]),
                source: i % 2 == 0 ? "web" : "upload", page: i % 5,
                date: Date(timeIntervalSince1970: 1_700_000_000 + Double(i) * 86_400)
            )
            return IndexedChunk(record: record, vector: data.next())
        }
    }

    func index(_ chunks: [IndexedChunk], exactBelow: Int = 0, filteredExactBelow: Int = 100) -> CollectionIndex {
        let settings = IndexSettings(hnsw: HNSWParameters(m: 12, efConstruction: 100, efSearch: 64), exactBelow: exactBelow,
                                     filteredExactBelow: filteredExactBelow)
        let index = CollectionIndex(dimensions: chunks[0].vector.count, settings: settings)
        index.upsert(chunks)
        return index
    }

    @Test("filters are applied inside the search: every hit matches and top_k come back when they exist")
    func filters() {
        let chunks = Self.chunks(3_000)
        let index = index(chunks)
        var data = TestVectors(dimensions: 32, seed: 99)
        let filters: [SearchFilter] = [
            SearchFilter(category: "faq"),                                   // 25%: graph walk with a predicate
            SearchFilter(documentIDs: ["d7", "d8"]),                         // 20 chunks: exact over the matches
            SearchFilter(tagsAll: ["red", "blue"], source: "web"),
            SearchFilter(tagsAny: ["green"], dateFrom: Date(timeIntervalSince1970: 1_700_000_000 + 100 * 86_400),
                         dateTo: Date(timeIntervalSince1970: 1_700_000_000 + 200 * 86_400)),
            SearchFilter(category: "nope"),
        ]
        for filter in filters {
            let matching = chunks.filter { filter.matches($0.record) }
            for query in data.make(10) {
                let hits = index.vectorSearch(query, k: 10, filter: filter)
                #expect(hits.count == min(10, matching.count))
                #expect(hits.allSatisfy { filter.matches($0.record) })
                let exact = index.exactSearch(query, k: 10, filter: filter)
                let expected = matching.map { ($0.record.chunkID, dot(query, $0.vector)) }.sorted { $0.1 > $1.1 }.prefix(10)
                #expect(exact.map(\.record.chunkID) == expected.map(\.0))
                let overlap = Set(hits.map(\.record.chunkID)).intersection(exact.map(\.record.chunkID)).count
                #expect(overlap >= min(8, exact.count))
            }
        }
    }

    @Test("deleted chunks and replaced versions are never returned")
    func deletes() {
        let chunks = Self.chunks(2_000)
        let index = index(chunks)
        #expect(index.remove(documentID: "d3", version: 1) == 10)
        #expect(index.remove(documentID: "d4", version: 2) == 0)
        #expect(index.remove(documentID: "d5", version: nil) == 10)
        #expect(index.remove(chunkIDs: ["c100", "c101", "nope"]) == 2)
        let gone = Set((30..<40).map { "c\($0)" } + (50..<60).map { "c\($0)" } + ["c100", "c101"])
        #expect(index.count == 2_000 - gone.count)
        for chunk in chunks where gone.contains(chunk.record.chunkID) {
            // Its own vector is the best possible query for it.
            let hits = index.vectorSearch(chunk.vector, k: 50)
            #expect(!hits.contains { gone.contains($0.record.chunkID) })
            #expect(!index.exactSearch(chunk.vector, k: 50).contains { gone.contains($0.record.chunkID) })
            #expect(!index.lexicalSearch(TextAnalyzer().terms(chunk.record.text), k: 50).contains { gone.contains($0.record.chunkID) })
        }
        // A new version of d6 replaces the old chunk ids' contents.
        var replacement = Self.chunks(70, seed: 5, version: 2).suffix(10).map { $0 }
        for i in replacement.indices { replacement[i].record.chunkID = "c\(60 + i)"; replacement[i].record.documentID = "d6" }
        #expect(index.upsert(replacement) == 10)
        for old in chunks[60..<70] {
            #expect(index.record(chunkID: old.record.chunkID)?.documentVersion == 2)
            let hits = index.vectorSearch(old.vector, k: 20)
            #expect(hits.allSatisfy { $0.record.documentID != "d6" || $0.record.documentVersion == 2 })
        }
        #expect(index.needsRebuild == false)
        let compacted = index.compacted()
        #expect(compacted.count == index.count)
        #expect(compacted.stats.tombstones == 0)
        for chunk in chunks.prefix(50) {
            #expect(compacted.exactSearch(chunk.vector, k: 5).map(\.record.chunkID) == index.exactSearch(chunk.vector, k: 5).map(\.record.chunkID))
        }
    }

    @Test("upserts are idempotent by chunk id")
    func idempotent() {
        let chunks = Self.chunks(300)
        let index = index(chunks)
        #expect(index.upsert(chunks) == 0)
        #expect(index.stats.graphNodes == 300)
        var changed = chunks[0]
        changed.record.text = "a different text entirely"
        #expect(index.upsert([changed, chunks[1]]) == 1)
        #expect(index.count == 300)
        #expect(index.lexicalSearch(["entirely"], k: 5).map(\.record.chunkID) == ["c0"])
        #expect(index.chunkCount(documentID: "d0", version: 1) == 10)
    }

    @Test("small collections are searched exactly")
    func exactBelow() {
        let chunks = Self.chunks(200)
        let index = index(chunks, exactBelow: 1_000)
        for chunk in chunks.prefix(20) {
            #expect(index.vectorSearch(chunk.vector, k: 10).map(\.record.chunkID) == index.exactSearch(chunk.vector, k: 10).map(\.record.chunkID))
        }
    }

    @Test("tenants never see each other's collections, also under concurrent writes")
    func tenantIsolation() async throws {
        let registry = IndexRegistry(settings: IndexSettings(hnsw: HNSWParameters(m: 8, efConstruction: 64, efSearch: 32), exactBelow: 0))
        let a = CollectionKey(tenantID: "tenant-a", collectionID: "docs")
        let b = CollectionKey(tenantID: "tenant-b", collectionID: "docs")
        let chunksA = Self.chunks(1_000, seed: 1)
        let chunksB = Self.chunks(1_000, seed: 1).map { chunk in  // the very same vectors and ids
            var chunk = chunk
            chunk.record.text = "tenant b " + chunk.record.text
            return chunk
        }
        try registry.write(a, dimensions: 32) { $0.upsert(Array(chunksA.prefix(500))) }
        try registry.write(b, dimensions: 32) { $0.upsert(Array(chunksB.prefix(500))) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for batch in stride(from: 500, to: 1_000, by: 50) {
                    _ = try? registry.write(a, dimensions: 32) { $0.upsert(Array(chunksA[batch..<batch + 50])) }
                }
            }
            group.addTask {
                for batch in stride(from: 500, to: 1_000, by: 50) {
                    _ = try? registry.write(b, dimensions: 32) { $0.upsert(Array(chunksB[batch..<batch + 50])) }
                }
            }
            group.addTask {
                for chunk in chunksA.prefix(100) {
                    let hits = registry.index(a)!.vectorSearch(chunk.vector, k: 10)
                    #expect(hits.allSatisfy { !$0.record.text.hasPrefix("tenant b") })
                    let lexical = registry.index(a)!.lexicalSearch(["tenant"], k: 10)
                    #expect(lexical.isEmpty)
                }
            }
            group.addTask { _ = registry.rebuild(b) }
        }
        #expect(registry.collections(tenantID: "tenant-a") == [a])
        #expect(registry.index(a)!.count == 1_000 && registry.index(b)!.count == 1_000)
        #expect(registry.index(CollectionKey(tenantID: "tenant-c", collectionID: "docs")) == nil)
        #expect(throws: IndexError.dimensionMismatch(expected: 32, got: 16)) {
            try registry.write(a, dimensions: 16) { _ in }
        }
    }
}
