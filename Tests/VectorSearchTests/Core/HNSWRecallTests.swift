import CairnTesting
import Foundation
import Testing
@testable import VectorSearchApp

@Suite("HNSW graph")
struct HNSWRecallTests {
    @Test("recall@10 against the exact search is at least 0.95 on clustered data")
    func recall() async {
        var data = TestVectors(dimensions: 64, clusters: 100, seed: 11)
        let base = data.make(20_000)
        let queries = data.make(200)
        let graph = HNSWGraph(dimensions: 64, parameters: HNSWParameters(m: 16, efConstruction: 200, efSearch: 128))
        let first = graph.reserve(base.count)
        let flat = base.flatMap { $0 }
        await offPool { flat.withUnsafeBufferPointer { graph.insertBatch($0, first: first, threads: 2) } }
        #expect(graph.count == base.count)
        var hits = 0
        for query in queries {
            let exact = Set(graph.exactSearch(query, k: 10).map(\.slot))
            let approximate = graph.search(query, k: 10, ef: 128)
            #expect(approximate.count == 10)
            hits += approximate.filter { exact.contains($0.slot) }.count
        }
        let recall = Double(hits) / Double(queries.count * 10)
        #expect(recall >= 0.95, "recall@10 \(recall)")
    }

    @Test("the exact scan agrees with a plain loop, best first")
    func exactAgreesWithLoop() {
        var data = TestVectors(dimensions: 48, seed: 3)
        let base = data.make(1_000)
        let graph = HNSWGraph(dimensions: 48, parameters: HNSWParameters())
        for vector in base { graph.insert(vector, at: graph.reserve(1)) }
        for query in data.make(20) {
            let expected = base.enumerated().map { ($0.offset, dot(query, $0.element)) }.sorted { $0.1 > $1.1 }.prefix(5)
            let got = graph.exactSearch(query, k: 5)
            #expect(got.map { Int($0.slot) } == expected.map(\.0))
            for (g, e) in zip(got, expected) { #expect(abs(g.score - e.1) < 1e-4) }
            let scores = graph.search(query, k: 5, ef: 50).map(\.score)
            #expect(scores == scores.sorted(by: >))
        }
    }

    @Test("the walk reads float16 copies, but results carry the float vectors' exact scores, best first")
    func walkResultsAreReRankedExactly() {
        var data = TestVectors(dimensions: 384, clusters: 10, seed: 17)
        let base = data.make(2_000)
        let graph = HNSWGraph(dimensions: 384, parameters: HNSWParameters(m: 16, efConstruction: 100))
        for vector in base { graph.insert(vector, at: graph.reserve(1)) }
        var agreeing = 0
        for query in data.make(30) {
            let found = graph.search(query, k: 10, ef: 200)
            #expect(found.count == 10)
            for hit in found {
                // Swift's own float sum: equal to the kernel's up to summation order.
                #expect(abs(hit.score - dot(query, base[Int(hit.slot)])) < 2e-6)
            }
            #expect(found.map(\.score) == found.map(\.score).sorted(by: >))
            // With ef 20× k on 2,000 vectors the walk finds the true top 10, in the exact order.
            if found.map(\.slot) == graph.exactSearch(query, k: 10).map(\.slot) { agreeing += 1 }
        }
        #expect(agreeing >= 29, "\(agreeing) of 30 queries got the exact top 10 in order")
    }

    @Test("exact scans split over threads agree with one thread; filtered scans skip tombstones")
    func threadedScan() async {
        var data = TestVectors(dimensions: 384, clusters: 20, seed: 13)
        let base = data.make(12_000)
        let flat = base.flatMap { $0 }
        let graph = HNSWGraph(dimensions: 384, parameters: HNSWParameters(m: 4, efConstruction: 16))
        for (i, vector) in base.enumerated() where i < 50 { graph.insert(vector, at: graph.reserve(1)) }
        let first = graph.reserve(base.count - 50)
        let rest = Array(flat[(50 * 384)...])
        await offPool { rest.withUnsafeBufferPointer { graph.insertBatch($0, first: first, threads: 2) } }
        for slot in stride(from: 0, to: 12_000, by: 3) { graph.markDeleted(Int32(slot)) }
        var allowed = Bitset(capacity: 12_000)
        for slot in stride(from: 0, to: 12_000, by: 2) { allowed.insert(slot) }
        for query in data.make(5) {
            let one = flat.withUnsafeBufferPointer { matrix in query.withUnsafeBufferPointer { exactTopK($0, base: matrix, dimensions: 384, k: 10) } }
            let two = flat.withUnsafeBufferPointer { matrix in
                query.withUnsafeBufferPointer { exactTopK($0, base: matrix, dimensions: 384, k: 10, threads: 2) }
            }
            #expect(one == two)
            let expected = base.enumerated().filter { $0.offset % 3 != 0 && $0.offset % 2 == 0 }
                .map { (Int32($0.offset), dot(query, $0.element)) }.sorted { $0.1 > $1.1 }.prefix(10).map(\.0)
            #expect(graph.exactSearch(query, k: 10, allowed: allowed).map(\.slot) == expected)
        }
    }

    @Test("tombstoned nodes are never returned, by the graph walk or the scan")
    func tombstones() {
        var data = TestVectors(dimensions: 32, seed: 5)
        let base = data.make(3_000)
        let graph = HNSWGraph(dimensions: 32, parameters: HNSWParameters(m: 8, efConstruction: 100, efSearch: 64))
        let first = graph.reserve(base.count)
        base.flatMap { $0 }.withUnsafeBufferPointer { graph.insertBatch($0, first: first, threads: 2) }
        for slot in stride(from: 0, to: 3_000, by: 2) { graph.markDeleted(Int32(slot)) }
        #expect(graph.deletedCount == 1_500)
        for query in data.make(50) {
            let walk = graph.search(query, k: 20, ef: 64)
            let scan = graph.exactSearch(query, k: 20)
            #expect(walk.count == 20 && scan.count == 20)
            #expect(walk.allSatisfy { $0.slot % 2 == 1 })
            #expect(scan.allSatisfy { $0.slot % 2 == 1 })
        }
    }

    @Test("an empty graph and k = 0 answer nothing")
    func empty() {
        let graph = HNSWGraph(dimensions: 8, parameters: HNSWParameters())
        #expect(graph.search(normalized([1, 0, 0, 0, 0, 0, 0, 1]), k: 5, ef: 10).isEmpty)
        #expect(graph.exactSearch(normalized([1, 0, 0, 0, 0, 0, 0, 1]), k: 5).isEmpty)
        graph.insert(normalized([1, 0, 0, 0, 0, 0, 0, 1]), at: graph.reserve(1))
        #expect(graph.search(normalized([1, 0, 0, 0, 0, 0, 0, 1]), k: 0, ef: 10).isEmpty)
        #expect(graph.search(normalized([1, 0, 0, 0, 0, 0, 0, 1]), k: 3, ef: 10).count == 1)
    }

    @Test("searches run while other threads insert and delete")
    func concurrentReadsAndWrites() async {
        var data = TestVectors(dimensions: 32, seed: 9)
        let initial = data.make(2_000)
        let more = data.make(4_000)
        let queries = data.make(100)
        let graph = HNSWGraph(dimensions: 32, parameters: HNSWParameters(m: 8, efConstruction: 64, efSearch: 32), capacity: 16)
        let first = graph.reserve(initial.count)
        initial.flatMap { $0 }.withUnsafeBufferPointer { graph.insertBatch($0, first: first, threads: 2) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for vector in more { graph.insert(vector, at: graph.reserve(1)) }
            }
            group.addTask {
                for slot in stride(from: 1, to: 2_000, by: 4) { graph.markDeleted(Int32(slot)) }
            }
            for reader in 0..<2 {
                group.addTask {
                    for round in 0..<20 {
                        let hits = graph.search(queries[(round * 7 + reader) % queries.count], k: 10, ef: 32)
                        #expect(hits.count == 10)
                        #expect(hits.allSatisfy { $0.slot >= 0 && Int($0.slot) < graph.count })
                    }
                }
            }
        }
        #expect(graph.count == 6_000)
        let deleted = Set(stride(from: 1, to: 2_000, by: 4).map { Int32($0) })
        for query in queries.prefix(20) {
            #expect(graph.search(query, k: 10, ef: 32).allSatisfy { !deleted.contains($0.slot) })
        }
    }
}
