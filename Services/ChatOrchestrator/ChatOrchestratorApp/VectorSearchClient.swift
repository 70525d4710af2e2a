import AsyncHTTPClient
import Foundation
import NIOCore

/// A passage vector-search found.
struct SearchHit: Sendable, Decodable, Equatable {
    var chunkID: String
    var documentID: String
    var documentVersion: Int?
    var collectionID: String?
    var title: String
    var text: String
    var score: Double

    enum CodingKeys: String, CodingKey {
        case title, text, score
        case chunkID = "chunk_id", documentID = "document_id", documentVersion = "document_version", collectionID = "collection_id"
    }
}

/// What retrieval answered.
struct SearchOutcome: Sendable {
    var hits: [SearchHit]
    /// The strategy vector-search used (`auto` resolved).
    var strategy: String
    /// What vector-search could not do ("embedding_unavailable"), empty normally.
    var degraded: [String]
    /// The version of each collection searched that the hits reflect at least (nil from a
    /// vector-search that does not say).
    var collectionVersions: [String: Int64]? = nil
}

/// Finds passages for a question.
protocol Retriever: Sendable {
    func search(_ query: SearchQuery, credentials: CallerCredentials) async throws -> SearchOutcome
    /// The current versions of the tenant's collections `ids` (all of them when nil).
    func collectionVersions(_ ids: [String]?, credentials: CallerCredentials) async throws -> [String: Int64]
}

/// vector-search's `POST /v1/search` body.
struct SearchQuery: Sendable, Encodable {
    struct Filters: Sendable, Encodable {
        var collectionIDs: [String]?
        var base: SearchFilters

        enum CodingKeys: String, CodingKey { case collectionIDs = "collection_ids" }

        func encode(to encoder: any Encoder) throws {
            try base.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(collectionIDs, forKey: .collectionIDs)
        }
    }

    var query: String
    var topK: Int
    var strategy: String
    var filters: Filters

    enum CodingKeys: String, CodingKey { case query, strategy, filters, topK = "top_k" }
}

/// vector-search over HTTP, with the caller's credentials and a timeout.
struct VectorSearchClient: Retriever {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    private struct Answer: Decodable {
        var results: [SearchHit]
        var strategy: String
        var degraded: [String]?
        var collectionVersions: [String: Int64]?
        enum CodingKeys: String, CodingKey { case results, strategy, degraded, collectionVersions = "collection_versions" }
    }

    private struct Versions: Decodable {
        var collections: [String: Int64]
    }

    static let maximumReplyBytes = 8 << 20

    let baseURL: String
    let http: HTTPClient
    let timeout: Duration

    func search(_ query: SearchQuery, credentials: CallerCredentials) async throws -> SearchOutcome {
        let request = try credentials.request(baseURL + "/v1/search", json: query)
        let response = try await http.execute(request, timeout: TimeAmount(timeout))
        let body = try await response.body.collect(upTo: Self.maximumReplyBytes)
        guard response.status == .ok else { throw Failed(description: "vector-search answered HTTP \(response.status.code)") }
        let answer = try JSONDecoder().decode(Answer.self, from: body)
        return SearchOutcome(hits: answer.results, strategy: answer.strategy, degraded: answer.degraded ?? [], collectionVersions: answer.collectionVersions)
    }

    func collectionVersions(_ ids: [String]?, credentials: CallerCredentials) async throws -> [String: Int64] {
        var url = baseURL + "/v1/internal/collections/versions"
        if let ids {
            guard !ids.isEmpty else { return [:] }
            var components = URLComponents()
            components.queryItems = [URLQueryItem(name: "ids", value: ids.joined(separator: ","))]
            url += "?" + (components.percentEncodedQuery ?? "")
        }
        let response = try await http.execute(credentials.get(url), timeout: TimeAmount(timeout))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw Failed(description: "vector-search answered HTTP \(response.status.code)") }
        return try JSONDecoder().decode(Versions.self, from: body).collections
    }
}
