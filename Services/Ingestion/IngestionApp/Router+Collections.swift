import CairnAuthKit
import Foundation
import Hummingbird
import ServiceKit

/// Collections: a tenant's named sets of documents with their chunking settings.
extension IngestionAPI {
    /// A collection's fields as clients send them: all of them to create one (`name` required),
    /// any of them to change one. The embedding model is fixed at creation: changing it would
    /// need every document embedded again.
    struct CollectionBody: Decodable {
        var name: String?
        var description: String?
        var chunkSize: Int?
        var chunkOverlap: Int?
        var embeddingModel: String?

        enum CodingKeys: String, CodingKey {
            case name, description
            case chunkSize = "chunk_size"
            case chunkOverlap = "chunk_overlap"
            case embeddingModel = "embedding_model"
        }
    }

    func addCollectionRoutes(to group: RouterGroup<IngestionRequestContext>) {
        group.post("/v1/collections") { request, context -> EditedResponse<DocumentCollection> in
            let (_, tenant) = try tenant(request, context, "documents:write")
            let body = try await request.decode(as: CollectionBody.self, context: context)
            guard let name = body.name else { throw IngestionError.invalid("name is required") }
            let defaults = ChunkingSettings()
            let model = body.embeddingModel ?? config.defaultEmbeddingModel
            guard (1...200).contains(model.count) else { throw IngestionError.invalid("embedding_model: 1 to 200 characters") }
            let now = Date()
            let collection = DocumentCollection(
                id: UUID(), tenantID: tenant, name: name.trimmingCharacters(in: .whitespacesAndNewlines), description: body.description ?? "",
                chunkSize: body.chunkSize ?? defaults.size, chunkOverlap: body.chunkOverlap ?? defaults.overlap, embeddingModel: model,
                createdAt: now, updatedAt: now
            )
            try DocumentCollection.validate(name: collection.name, description: collection.description, chunkSize: collection.chunkSize,
                                            chunkOverlap: collection.chunkOverlap)
            try await collections.create(collection)
            return EditedResponse(status: .created, response: try await collections.find(collection.id, tenantID: tenant) ?? collection)
        }
        group.get("/v1/collections") { request, context -> Page<DocumentCollection> in
            let (_, tenant) = try tenant(request, context, "documents:read")
            let (limit, after) = try PageCursor.page(request)
            return try await collections.list(tenantID: tenant, limit: limit, after: after)
        }
        group.get("/v1/collections/{id}") { request, context -> DocumentCollection in
            let (_, tenant) = try tenant(request, context, "documents:read")
            guard let collection = try await collections.find(try Self.pathID(context, "id"), tenantID: tenant) else { throw IngestionError.notFound }
            return collection
        }
        group.patch("/v1/collections/{id}") { request, context -> DocumentCollection in
            let (_, tenant) = try tenant(request, context, "documents:write")
            let id = try Self.pathID(context, "id")
            let body = try await request.decode(as: CollectionBody.self, context: context)
            guard var collection = try await collections.find(id, tenantID: tenant) else { throw IngestionError.notFound }
            if let model = body.embeddingModel, model != collection.embeddingModel {
                throw IngestionError.invalid("embedding_model cannot change; make a new collection")
            }
            if let name = body.name { collection.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let description = body.description { collection.description = description }
            if let size = body.chunkSize { collection.chunkSize = size }
            if let overlap = body.chunkOverlap { collection.chunkOverlap = overlap }
            try DocumentCollection.validate(name: collection.name, description: collection.description, chunkSize: collection.chunkSize,
                                            chunkOverlap: collection.chunkOverlap)
            try await collections.update(collection)
            guard let updated = try await collections.find(id, tenantID: tenant) else { throw IngestionError.notFound }
            return updated
        }
        group.delete("/v1/collections/{id}") { request, context -> HTTPResponse.Status in
            let (identity, tenant) = try tenant(request, context, "documents:delete")
            let id = try Self.pathID(context, "id")
            guard try await documents.deleteCollection(id, tenantID: tenant, collections: collections, by: identity.subject,
                                                       correlationID: context.requestID) else { throw IngestionError.notFound }
            return .noContent
        }
    }
}
