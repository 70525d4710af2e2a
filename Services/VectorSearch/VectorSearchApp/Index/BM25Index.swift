/// Okapi BM25 over the chunks of one collection: k1 = 1.2, b = 0.75, and Lucene's
/// non-negative idf, ln(1 + (N − df + 0.5) / (df + 0.5)). N, df and the average length count
/// live chunks only: removing a chunk takes it out of the statistics at once.
///
/// Not thread-safe: ``CollectionIndex`` guards it.
struct BM25Index {
    static let k1: Double = 1.2
    static let b: Double = 0.75

    /// term → (slot → term frequency).
    private(set) var postings: [String: [Int32: Int32]] = [:]
    /// slot → (distinct terms, length in terms).
    private var documents: [Int32: (terms: [String], length: Int)] = [:]
    private(set) var totalLength = 0

    var documentCount: Int { documents.count }
    var averageLength: Double { documents.isEmpty ? 0 : Double(totalLength) / Double(documents.count) }

    mutating func add(slot: Int32, terms: [String]) {
        if documents[slot] != nil { remove(slot: slot) }
        var frequencies: [String: Int32] = [:]
        for term in terms { frequencies[term, default: 0] += 1 }
        for (term, tf) in frequencies { postings[term, default: [:]][slot] = tf }
        documents[slot] = (Array(frequencies.keys), terms.count)
        totalLength += terms.count
    }

    mutating func remove(slot: Int32) {
        guard let document = documents.removeValue(forKey: slot) else { return }
        totalLength -= document.length
        for term in document.terms {
            postings[term]?[slot] = nil
            if postings[term]?.isEmpty == true { postings[term] = nil }
        }
    }

    func idf(_ term: String) -> Double {
        let n = Double(documents.count)
        let df = Double(postings[term]?.count ?? 0)
        return log(1 + (n - df + 0.5) / (df + 0.5))
    }

    /// Scores of every chunk holding at least one of `queryTerms` (each distinct term counted
    /// once) that `accept` lets through, best first, at most `k`.
    func search(_ queryTerms: [String], k: Int, accept: (Int32) -> Bool) -> [ScoredSlot] {
        guard k > 0, !documents.isEmpty else { return [] }
        let average = averageLength
        var scores: [Int32: Double] = [:]
        for term in Set(queryTerms) {
            guard let list = postings[term] else { continue }
            let idf = idf(term)
            for (slot, tf) in list where accept(slot) {
                let length = Double(documents[slot]!.length)
                let f = Double(tf)
                scores[slot, default: 0] += idf * f * (Self.k1 + 1) / (f + Self.k1 * (1 - Self.b + Self.b * length / average))
            }
        }
        return scores
            .map { ScoredSlot(slot: $0.key, score: Float($0.value)) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.slot < $1.slot }
            .prefix(k)
            .map { $0 }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
