import Foundation

/// Finds collections by id or name, following the pages of `GET /v1/collections`.
enum CollectionResolver {
    static func all(_ client: APIClient) async throws -> [Collection] {
        var collections: [Collection] = []
        var cursor: String?
        repeat {
            var query = [("limit", "200")]
            if let cursor { query.append(("cursor", cursor)) }
            let page = try await client.send(.GET, "/v1/collections", query: query).decode(CollectionPage.self)
            collections += page.collections
            cursor = page.nextCursor
        } while cursor != nil
        return collections
    }

    /// The collection whose id or name is `reference`; exit 4 when there is none.
    static func find(_ reference: String, _ client: APIClient) async throws -> Collection {
        let collections = try await all(client)
        if let match = collections.first(where: { $0.id == reference.lowercased() })
            ?? collections.first(where: { $0.name == reference }) {
            return match
        }
        throw CLIError(.notFound, "no collection named or with the id \"\(reference)\" (see `cairn collections list`)")
    }

    static func create(_ name: String, description: String?, chunkSize: Int?, chunkOverlap: Int?, _ client: APIClient) async throws -> Collection {
        struct Create: Encodable, Sendable {
            var name: String
            var description: String?
            var chunkSize: Int?
            var chunkOverlap: Int?
        }
        return try await client.send(.POST, "/v1/collections",
                                     json: Create(name: name, description: description, chunkSize: chunkSize, chunkOverlap: chunkOverlap))
            .decode(Collection.self)
    }
}
