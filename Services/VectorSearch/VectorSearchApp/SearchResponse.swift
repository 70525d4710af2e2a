/// The answer of `POST /v1/search`.
struct SearchResponse: Encodable, Sendable {
    struct Scores: Encodable, Sendable, Equatable {
        var vector: Float?
        var lexical: Float?
        var fused: Double?
    }

    struct Ranks: Encodable, Sendable, Equatable {
        var vector: Int?
        var lexical: Int?
    }

    struct Result: Encodable, Sendable {
        var chunkID: String
        var documentID: String
        var documentVersion: Int
        var collectionID: String
        var title: String
        var text: String
        /// About 300 characters around the first matched terms, each wrapped in `**`.
        var excerpt: String
        var matchedTerms: [String]
        var page: Int?
        var category: String?
        var tags: [String]
        var source: String?
        /// The strategy's own score: fused (hybrid), cosine (vector) or BM25 (lexical).
        var score: Double
        var scores: Scores
        var ranks: Ranks

        enum CodingKeys: String, CodingKey {
            case title, text, excerpt, page, category, tags, source, score, scores, ranks
            case chunkID = "chunk_id", documentID = "document_id", documentVersion = "document_version"
            case collectionID = "collection_id", matchedTerms = "matched_terms"
        }
    }

    var results: [Result]
    /// The strategy used (`auto` resolved).
    var strategy: SearchRequest.Strategy
    /// What could not be done and was left out ("embedding_unavailable"), empty normally.
    var degraded: [String]
    /// The version of each collection searched (all the tenant's when none was named) the
    /// results reflect at least: a cache of answers keys by them.
    var collectionVersions: [String: Int64]
    var tookMS: Double

    enum CodingKeys: String, CodingKey {
        case results, strategy, degraded
        case collectionVersions = "collection_versions", tookMS = "took_ms"
    }
}
