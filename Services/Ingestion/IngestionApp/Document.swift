import Foundation
import Hummingbird

/// Where a document is: `pending → processing → chunked → indexed | failed | deleted`.
enum DocumentStatus: String, Sendable, CaseIterable, Codable {
    case pending, processing, chunked, indexed, failed, deleted
}

/// What a submitter says about a document besides its content.
struct DocumentFields: Sendable, Equatable {
    var title: String = ""
    var sourceURI: String = ""
    var mimeType: String = ""
    var metadata: [String: String] = [:]
    var externalID: String?

    static let maxTitleLength = 1_000
    static let maxSourceURILength = 2_048
    static let maxExternalIDLength = 512
    static let maxMetadataEntries = 64
    static let maxMetadataValueLength = 2_048

    /// Throws the first problem as a 400.
    func validate() throws(IngestionError) {
        guard title.count <= Self.maxTitleLength else { throw .invalid("title: at most \(Self.maxTitleLength) characters") }
        guard sourceURI.count <= Self.maxSourceURILength else { throw .invalid("source_uri: at most \(Self.maxSourceURILength) characters") }
        if let externalID {
            guard (1...Self.maxExternalIDLength).contains(externalID.count) else {
                throw .invalid("external_id: 1 to \(Self.maxExternalIDLength) characters")
            }
        }
        guard metadata.count <= Self.maxMetadataEntries else { throw .invalid("metadata: at most \(Self.maxMetadataEntries) entries") }
        for (key, value) in metadata {
            guard (1...100).contains(key.count), value.count <= Self.maxMetadataValueLength else {
                throw .invalid("metadata: keys of 1 to 100 characters, values of at most \(Self.maxMetadataValueLength)")
            }
        }
        let all = [title, sourceURI, mimeType, externalID ?? ""] + metadata.keys + metadata.values
        guard !all.contains(where: { $0.unicodeScalars.contains { $0.value == 0 } }) else {
            throw .invalid("fields must not contain NUL characters")
        }
    }
}

/// A document as stored, and as clients see it.
struct DocumentRecord: Sendable, ResponseEncodable {
    var id: UUID
    var tenantID: UUID
    var collectionID: UUID
    var fields: DocumentFields
    var status: DocumentStatus
    var version: Int
    var chunkCount: Int
    var bytes: Int
    var error: String?
    var timestamps: [String: Date]
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, status, version, bytes, error, title, metadata, timestamps
        case collectionID = "collection_id"
        case externalID = "external_id"
        case sourceURI = "source_uri"
        case mimeType = "mime_type"
        case chunkCount = "chunk_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Every key is always there (`null` when unset), so clients need no presence checks.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(collectionID.lowercased, forKey: .collectionID)
        try container.encode(fields.externalID, forKey: .externalID)
        try container.encode(fields.title, forKey: .title)
        try container.encode(fields.sourceURI, forKey: .sourceURI)
        try container.encode(fields.mimeType, forKey: .mimeType)
        try container.encode(fields.metadata, forKey: .metadata)
        try container.encode(status, forKey: .status)
        try container.encode(version, forKey: .version)
        try container.encode(chunkCount, forKey: .chunkCount)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(error, forKey: .error)
        try container.encode(timestamps, forKey: .timestamps)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
