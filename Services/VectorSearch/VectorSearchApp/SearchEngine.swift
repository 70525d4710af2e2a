import Foundation
import Logging
import Metrics

/// Runs one search over a tenant's collections: resolves the strategy, gets a query vector
/// (given, or from the embedding service), asks each collection's indexes with the filter
/// applied inside them, merges across collections, fuses (RRF, k = 60) and dresses the hits.
struct SearchEngine: Sendable {
    let registry: IndexRegistry
    let embedder: any QueryEmbedder
    let logger: Logger
    private let analyzer = TextAnalyzer()
    private let embeddingFailures = Counter(label: "vector_search_degraded_total", dimensions: [("reason", "embedding_unavailable")])

    init(registry: IndexRegistry, embedder: any QueryEmbedder, logger: Logger) {
        self.registry = registry
        self.embedder = embedder
        self.logger = logger
    }

    /// Candidates each method contributes to the fusion.
    static func fusionDepth(topK: Int) -> Int { min(max(2 * topK, 20), 200) }

    func search(_ request: SearchRequest, tenantID: UUID) async throws -> SearchResponse {
        let start = ContinuousClock.now
        let tenant = tenantID.uuidString.lowercased()
        let keys: [CollectionKey] = request.filters.collectionIDs.map { ids in
            Set(ids).sorted().map { CollectionKey(tenantID: tenant, collectionID: $0) }
        } ?? registry.collections(tenantID: tenant)
        // Before the indexes are read: the results reflect at least these versions.
        let versions = registry.versions(tenantID: tenant, ids: request.filters.collectionIDs.map { Array(Set($0)) })
        let indexes: [(key: CollectionKey, index: CollectionIndex)] = keys.compactMap { key in registry.index(key).map { (key, $0) } }

        var strategy = request.strategy
        if strategy == .auto { strategy = request.hasText ? .hybrid : .vector }
        var degraded: [String] = []
        var queryVector = request.vector
        if queryVector == nil, strategy != .lexical, let text = request.query, request.hasText, !indexes.isEmpty {
            do {
                queryVector = try await embedder.embed(text, tenantID: tenantID)
            } catch {
                logger.warning("query embedding failed", metadata: ["error": "\(String(reflecting: error))"])
                embeddingFailures.increment()
                // hybrid and auto degrade to lexical; an explicit vector search cannot.
                guard strategy == .hybrid else { throw VectorSearchError.embeddingUnavailable }
                degraded.append("embedding_unavailable")
                strategy = .lexical
            }
        }
        if let vector = queryVector {
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            queryVector = vector.map { $0 / norm }
            let dims = Set(indexes.map(\.index.dimensions))
            if !indexes.isEmpty, !dims.contains(vector.count) {
                throw VectorSearchError.invalid("vector has \(vector.count) values; the collections hold \(dims.sorted().map(String.init).joined(separator: ", "))")
            }
        }
        let queryTerms = request.hasText ? analyzer.terms(request.query!) : []
        let filter = request.searchFilter
        let depth = strategy == .hybrid ? Self.fusionDepth(topK: request.topK) : request.topK

        var vectorHits: [(CollectionKey, IndexHit)] = []
        var lexicalHits: [(CollectionKey, IndexHit)] = []
        if strategy != .lexical, let vector = queryVector {
            for (key, index) in indexes where index.dimensions == vector.count {
                vectorHits += index.vectorSearch(vector, k: depth, ef: request.efSearch, filter: filter).map { (key, $0) }
            }
            vectorHits.sort { $0.1.score > $1.1.score }
            if let minScore = request.minScore { vectorHits.removeAll { $0.1.score < minScore } }
            vectorHits = Array(vectorHits.prefix(depth))
        }
        if strategy != .vector, !queryTerms.isEmpty {
            for (key, index) in indexes {
                lexicalHits += index.lexicalSearch(queryTerms, k: depth, filter: filter).map { (key, $0) }
            }
            lexicalHits.sort { $0.1.score > $1.1.score }
            if strategy == .lexical, let minScore = request.minScore { lexicalHits.removeAll { $0.1.score < minScore } }
            lexicalHits = Array(lexicalHits.prefix(depth))
        }

        struct ItemID: Hashable { var key: CollectionKey; var chunk: String }
        var records: [ItemID: (CollectionKey, ChunkRecord)] = [:]
        var vectorRank: [ItemID: (Int, Float)] = [:]
        var lexicalRank: [ItemID: (Int, Float)] = [:]
        for (rank, (key, hit)) in vectorHits.enumerated() {
            let id = ItemID(key: key, chunk: hit.record.chunkID)
            records[id] = (key, hit.record)
            vectorRank[id] = (rank + 1, hit.score)
        }
        for (rank, (key, hit)) in lexicalHits.enumerated() {
            let id = ItemID(key: key, chunk: hit.record.chunkID)
            records[id] = (key, hit.record)
            lexicalRank[id] = (rank + 1, hit.score)
        }
        let ordered: [(ItemID, Double)]
        switch strategy {
        case .vector, .auto: ordered = vectorHits.map { (ItemID(key: $0.0, chunk: $0.1.record.chunkID), Double($0.1.score)) }
        case .lexical: ordered = lexicalHits.map { (ItemID(key: $0.0, chunk: $0.1.record.chunkID), Double($0.1.score)) }
        case .hybrid:
            let lists = [vectorHits.map { ItemID(key: $0.0, chunk: $0.1.record.chunkID) },
                         lexicalHits.map { ItemID(key: $0.0, chunk: $0.1.record.chunkID) }]
            ordered = ReciprocalRankFusion.fuse(lists).map { ($0.id, $0.score) }
        }
        let querySet = Set(queryTerms)
        let results = ordered.prefix(request.topK).map { id, score -> SearchResponse.Result in
            let (key, record) = records[id]!
            let (excerpt, matched) = Excerpt.make(record.text, terms: querySet, analyzer: analyzer)
            return SearchResponse.Result(
                chunkID: record.chunkID, documentID: record.documentID, documentVersion: record.documentVersion,
                collectionID: key.collectionID, title: record.title, text: record.text, excerpt: excerpt, matchedTerms: matched,
                page: record.page, category: record.category, tags: record.tags, source: record.source, score: score,
                scores: .init(vector: vectorRank[id]?.1, lexical: lexicalRank[id]?.1, fused: strategy == .hybrid ? score : nil),
                ranks: .init(vector: vectorRank[id]?.0, lexical: lexicalRank[id]?.0)
            )
        }
        let took = ContinuousClock.now - start
        let ms = Double(took.components.seconds) * 1_000 + Double(took.components.attoseconds) / 1e15
        return SearchResponse(results: Array(results), strategy: strategy, degraded: degraded, collectionVersions: versions,
                              tookMS: (ms * 1000).rounded() / 1000)
    }
}

/// A short window of a chunk's text around the query's terms, the terms wrapped in `**`.
enum Excerpt {
    static let width = 300

    static func make(_ text: String, terms: Set<String>, analyzer: TextAnalyzer) -> (String, [String]) {
        let hits = terms.isEmpty ? [] : analyzer.analyze(text).filter { terms.contains($0.text) }
        let matched = Array(Set(hits.map(\.text))).sorted()
        let scalars = text.unicodeScalars
        guard let first = hits.first else {
            let end = scalars.index(scalars.startIndex, offsetBy: width, limitedBy: scalars.endIndex) ?? scalars.endIndex
            return (String(scalars[scalars.startIndex..<end]) + (end < scalars.endIndex ? "…" : ""), matched)
        }
        let start = scalars.index(first.range.lowerBound, offsetBy: -width / 4, limitedBy: scalars.startIndex) ?? scalars.startIndex
        let end = scalars.index(start, offsetBy: width, limitedBy: scalars.endIndex) ?? scalars.endIndex
        var out = start > scalars.startIndex ? "…" : ""
        var cursor = start
        for hit in hits where hit.range.lowerBound >= start && hit.range.upperBound <= end {
            out += String(scalars[cursor..<hit.range.lowerBound]) + "**" + String(scalars[hit.range]) + "**"
            cursor = hit.range.upperBound
        }
        out += String(scalars[cursor..<end]) + (end < scalars.endIndex ? "…" : "")
        return (out, matched)
    }
}
