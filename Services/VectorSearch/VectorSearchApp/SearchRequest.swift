import Foundation

/// The body of `POST /v1/search`. Every way a body can be wrong throws
/// ``VectorSearchError/invalid(_:)`` naming the field.
struct SearchRequest: Decodable, Sendable {
    enum Strategy: String, Sendable, Codable, CaseIterable {
        case vector, lexical, hybrid, auto
    }

    struct Filters: Decodable, Sendable {
        var collectionIDs: [String]?
        var documentIDs: [String]?
        var category: String?
        var tagsAny: [String]?
        var tagsAll: [String]?
        var dateFrom: Date?
        var dateTo: Date?
        var source: String?

        enum CodingKeys: String, CodingKey {
            case category, source
            case collectionIDs = "collection_ids", documentIDs = "document_ids", tagsAny = "tags_any", tagsAll = "tags_all"
            case dateFrom = "date_from", dateTo = "date_to"
        }
    }

    static let maxQueryBytes = 8_192
    static let maxFilterValues = 1_000
    static let maxDimensions = 4_096

    var query: String?
    var vector: [Float]?
    var topK: Int
    var strategy: Strategy
    var filters: Filters
    var minScore: Float?
    var efSearch: Int?

    enum CodingKeys: String, CodingKey {
        case query, vector, strategy, filters
        case topK = "top_k", minScore = "min_score", efSearch = "ef_search"
    }

    init(query: String? = nil, vector: [Float]? = nil, topK: Int = 10, strategy: Strategy = .auto, filters: Filters = Filters(),
         minScore: Float? = nil, efSearch: Int? = nil) {
        self.query = query
        self.vector = vector
        self.topK = topK
        self.strategy = strategy
        self.filters = filters
        self.minScore = minScore
        self.efSearch = efSearch
    }

    init(from decoder: any Decoder) throws {
        guard let c = try? decoder.container(keyedBy: CodingKeys.self) else { throw VectorSearchError.invalid("the body must be a JSON object") }
        query = try Self.field(c, .query, "query must be a string")
        vector = try Self.field(c, .vector, "vector must be an array of numbers")
        topK = try Self.field(c, .topK, "top_k must be an integer") ?? 10
        let strategyName: String? = try Self.field(c, .strategy, "strategy must be a string")
        guard let strategy = Strategy(rawValue: strategyName ?? "auto") else {
            throw VectorSearchError.invalid("strategy must be one of vector, lexical, hybrid, auto")
        }
        self.strategy = strategy
        minScore = try Self.field(c, .minScore, "min_score must be a number")
        efSearch = try Self.field(c, .efSearch, "ef_search must be an integer")
        if c.contains(.filters), try !c.decodeNil(forKey: .filters) {
            do {
                filters = try c.decode(Filters.self, forKey: .filters)
            } catch DecodingError.dataCorrupted(let context) where context.codingPath.last.map({ ["date_from", "date_to"].contains($0.stringValue) }) == true {
                throw VectorSearchError.invalid("filters.\(context.codingPath.last!.stringValue) must be an ISO 8601 date-time")
            } catch {
                throw VectorSearchError.invalid("filters must be an object of collection_ids, document_ids, tags_any, tags_all (string arrays), category, source (strings), date_from, date_to (ISO 8601)")
            }
        } else {
            filters = Filters()
        }
    }

    private static func field<T: Decodable>(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, _ message: String) throws -> T? {
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        guard let value = try? c.decode(T.self, forKey: key) else { throw VectorSearchError.invalid(message) }
        return value
    }

    /// Bounds the API documents (README "Vector search": limits).
    func validate(maxTopK: Int) throws {
        guard (1...maxTopK).contains(topK) else { throw VectorSearchError.invalid("top_k must be 1–\(maxTopK)") }
        if let query {
            guard query.utf8.count <= Self.maxQueryBytes else { throw VectorSearchError.invalid("query must be at most \(Self.maxQueryBytes) bytes") }
        }
        if let vector {
            guard (1...Self.maxDimensions).contains(vector.count) else { throw VectorSearchError.invalid("vector must have 1–\(Self.maxDimensions) values") }
            guard vector.allSatisfy(\.isFinite), vector.contains(where: { $0 != 0 }) else {
                throw VectorSearchError.invalid("vector must be finite and not all zero")
            }
        }
        let hasText = !(query ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        guard hasText || vector != nil else { throw VectorSearchError.invalid("give query text, a vector, or both") }
        if strategy == .lexical, !hasText { throw VectorSearchError.invalid("strategy lexical needs query text") }
        if let efSearch, !(10...4_000).contains(efSearch) { throw VectorSearchError.invalid("ef_search must be 10–4000") }
        if let minScore, !minScore.isFinite { throw VectorSearchError.invalid("min_score must be a finite number") }
        let lists = [filters.collectionIDs, filters.documentIDs, filters.tagsAny, filters.tagsAll].compactMap { $0 }
        guard lists.allSatisfy({ $0.count <= Self.maxFilterValues }) else {
            throw VectorSearchError.invalid("a filter list holds at most \(Self.maxFilterValues) values")
        }
        if let from = filters.dateFrom, let to = filters.dateTo, from > to { throw VectorSearchError.invalid("filters.date_from is after filters.date_to") }
    }

    var hasText: Bool { !(query ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }

    var searchFilter: SearchFilter {
        SearchFilter(
            documentIDs: filters.documentIDs.map(Set.init), category: filters.category, tagsAny: filters.tagsAny.map(Set.init),
            tagsAll: filters.tagsAll.map(Set.init), dateFrom: filters.dateFrom, dateTo: filters.dateTo, source: filters.source
        )
    }
}
