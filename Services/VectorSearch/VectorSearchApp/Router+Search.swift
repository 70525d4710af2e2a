import CairnAuthKit
import Foundation
import Hummingbird
import ServiceKit

/// `POST /v1/search`.
extension VectorSearchAPI {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    func addSearchRoutes(to group: RouterGroup<VectorSearchRequestContext>) {
        group.post("/v1/search") { request, context -> SearchResponse in
            let tenant = try actingTenant(request, context: context, "search:query")
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            try JSONRequestDecoder.refuseNUL(body)
            let search: SearchRequest
            do {
                search = try Self.decoder.decode(SearchRequest.self, from: Data(buffer: body))
            } catch let error as VectorSearchError {
                throw error
            } catch {
                throw VectorSearchError.invalid("the body must be a JSON object: {query?, vector?, top_k?, strategy?, filters?, min_score?}")
            }
            try search.validate(maxTopK: config.maxTopK)
            return try await engine.search(search, tenantID: tenant)
        }
    }
}

extension SearchResponse: ResponseEncodable {}
