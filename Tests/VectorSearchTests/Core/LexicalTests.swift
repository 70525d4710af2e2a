import Foundation
import Testing
@testable import VectorSearchApp

@Suite("BM25 and the text analyzer")
struct LexicalTests {
    let analyzer = TextAnalyzer()

    @Test("terms are BERT-basic-tokenised: lower case, accents stripped, punctuation split, CJK one by one, stop words out")
    func analysis() {
        #expect(analyzer.terms("The Café's WiFi—isn't working!") == ["cafe", "wifi", "isn", "working"])
        #expect(analyzer.terms("naïve Résumé, e-mail: x@y.z") == ["naive", "resume", "e", "mail", "x", "y", "z"])
        #expect(analyzer.terms("东京tower 2024") == ["东", "京", "tower", "2024"])
        #expect(analyzer.terms("  \t\n") == [])
        let text = "Hello, Wörld"
        let terms = analyzer.analyze(text)
        #expect(terms.map { String(text[$0.range]) } == ["Hello", "Wörld"])
    }

    @Test("scores equal the textbook Okapi BM25 (k1 1.2, b 0.75) on a small corpus")
    func textbook() {
        let corpus = [
            "the quick brown fox jumps over the lazy dog",
            "a quick brown dog outpaces a quick fox",
            "lazy afternoons and lazy dogs",
            "foxes are quick and clever animals in the forest",
            "nothing relevant here at all",
        ]
        var index = BM25Index()
        let documents = corpus.map { analyzer.terms($0) }
        for (slot, terms) in documents.enumerated() { index.add(slot: Int32(slot), terms: terms) }
        let query = ["quick", "fox", "lazy"]
        let n = Double(documents.count)
        let average = Double(documents.map(\.count).reduce(0, +)) / n
        var expected: [Int: Double] = [:]
        for term in query {
            let df = Double(documents.filter { $0.contains(term) }.count)
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
            for (slot, terms) in documents.enumerated() {
                let tf = Double(terms.filter { $0 == term }.count)
                guard tf > 0 else { continue }
                expected[slot, default: 0] += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * Double(terms.count) / average))
            }
        }
        let hits = index.search(query, k: 10) { _ in true }
        #expect(hits.count == expected.count)
        for hit in hits { #expect(abs(Double(hit.score) - expected[Int(hit.slot)]!) < 1e-5) }
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
        // Repeating a query term changes nothing; removing a document updates N, df and avgdl.
        #expect(index.search(query + ["fox"], k: 10) { _ in true } == hits)
        index.remove(slot: 4)
        #expect(index.documentCount == 4)
        let idf = index.idf("quick")
        #expect(abs(idf - log(1 + (4 - 3 + 0.5) / (3 + 0.5))) < 1e-12)
    }

    @Test("the accept predicate filters inside the scoring")
    func filtered() {
        var index = BM25Index()
        index.add(slot: 0, terms: ["alpha", "beta"])
        index.add(slot: 1, terms: ["alpha"])
        index.add(slot: 2, terms: ["gamma"])
        #expect(index.search(["alpha"], k: 10) { $0 != 1 }.map(\.slot) == [0])
        #expect(index.search(["delta"], k: 10) { _ in true }.isEmpty)
    }
}

@Suite("Reciprocal Rank Fusion")
struct FusionTests {
    @Test("fused score is the sum of 1/(60 + rank); order by it")
    func fuse() {
        let fused = ReciprocalRankFusion.fuse([["a", "b", "c"], ["c", "a", "d"]])
        let expected: [String: Double] = ["a": 1.0 / 61 + 1.0 / 62, "b": 1.0 / 62, "c": 1.0 / 63 + 1.0 / 61, "d": 1.0 / 63]
        #expect(fused.map(\.id) == ["a", "c", "b", "d"])
        for item in fused { #expect(abs(item.score - expected[item.id]!) < 1e-12) }
        #expect(ReciprocalRankFusion.fuse([[String]]()).isEmpty)
        // Ties keep first-seen order.
        #expect(ReciprocalRankFusion.fuse([["x"], ["y"]]).map(\.id) == ["x", "y"])
    }
}
