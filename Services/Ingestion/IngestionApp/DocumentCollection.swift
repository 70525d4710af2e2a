import Foundation
import Hummingbird

/// A tenant's collection of documents and how its documents are chunked.
struct DocumentCollection: Sendable, Equatable, ResponseEncodable {
    var id: UUID
    var tenantID: UUID
    var name: String
    var description: String
    var chunkSize: Int
    var chunkOverlap: Int
    var embeddingModel: String
    var createdAt: Date
    var updatedAt: Date

    var chunking: ChunkingSettings { ChunkingSettings(size: chunkSize, overlap: chunkOverlap) }

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case chunkSize = "chunk_size"
        case chunkOverlap = "chunk_overlap"
        case embeddingModel = "embedding_model"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    static let maxNameLength = 200
    static let maxDescriptionLength = 2_000

    /// Checks a name, description and chunking settings; throws the first problem as a 400.
    static func validate(name: String, description: String, chunkSize: Int, chunkOverlap: Int) throws(IngestionError) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= maxNameLength else {
            throw .invalid("name: 1 to \(maxNameLength) characters")
        }
        guard description.count <= maxDescriptionLength else { throw .invalid("description: at most \(maxDescriptionLength) characters") }
        let problems = ChunkingSettings(size: chunkSize, overlap: chunkOverlap).problems
        if let first = problems.first { throw .invalid("\(first) (chunk_size \(chunkSize), chunk_overlap \(chunkOverlap))") }
    }

    /// What clients see: everything but the tenant, ids in lower case.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(chunkSize, forKey: .chunkSize)
        try container.encode(chunkOverlap, forKey: .chunkOverlap)
        try container.encode(embeddingModel, forKey: .embeddingModel)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
