import CairnEvents
import CairnProtos
import Foundation

/// The consumed events in this service's own terms: the one place generated protobuf types are
/// translated (STYLE habit 3). Whatever cannot be indexed throws ``InvalidChunkEvent``, which
/// the consumer treats as a poison message.
enum ChunkEvent: Sendable {
    case embedded(EmbeddedBatch)
    case deleted(DocumentDeletion)
}

/// One `ChunksEmbedded` batch, ready to store and index.
struct EmbeddedBatch: Sendable {
    var tenantID: UUID
    var collectionID: String
    var documentID: String
    var documentVersion: Int
    var batchIndex: Int
    var batchCount: Int
    var model: String
    var dimensions: Int
    var chunks: [IndexedChunk]
    /// Each chunk's metadata map as given, kept in Postgres for later use.
    var metadata: [[String: String]]

    var key: CollectionKey { CollectionKey(tenantID: tenantID.uuidString.lowercased(), collectionID: collectionID) }
}

/// A `DocumentDeleted`: one version, or every version (`version` nil).
struct DocumentDeletion: Sendable, Equatable {
    var tenantID: UUID
    var documentID: String
    var version: Int?
}

struct InvalidChunkEvent: Error, CustomStringConvertible {
    var description: String
}

extension ChunkEvent {
    /// The chunk metadata key naming a chunk's collection (ingestion copies the document's
    /// collection id there); chunks without one are in `default`.
    static let collectionKey = "collection_id"
    static let defaultCollection = "default"

    /// Decodes a record of `topic` (the chunks or the deletions topic, by configured name).
    static func decode(_ bytes: [UInt8], isDeletion: Bool) throws -> ChunkEvent {
        if isDeletion {
            let event = try EventCodec.decode(Cairn_V1_DocumentDeleted.self, from: bytes)
            let version: Int? = switch event.scope {
            case .version(let version)?: Int(version)
            default: nil
            }
            return .deleted(DocumentDeletion(tenantID: try tenant(event.meta.tenantID), documentID: event.documentID, version: version))
        }
        let event = try EventCodec.decode(Cairn_V1_ChunksEmbedded.self, from: bytes)
        return .embedded(try EmbeddedBatch(event))
    }

    static func tenant(_ raw: String) throws -> UUID {
        guard let id = UUID(uuidString: raw) else { throw InvalidChunkEvent(description: "tenant_id \"\(raw)\" is not a UUID") }
        return id
    }
}

extension EmbeddedBatch {
    init(_ event: Cairn_V1_ChunksEmbedded) throws {
        tenantID = try ChunkEvent.tenant(event.meta.tenantID)
        documentID = event.documentID
        documentVersion = Int(event.documentVersion)
        batchIndex = Int(event.batchIndex)
        batchCount = Int(event.batchCount)
        model = event.model
        dimensions = Int(event.dimensions)
        let collections = Set(event.chunks.map { $0.metadata[ChunkEvent.collectionKey] ?? ChunkEvent.defaultCollection })
        guard collections.count <= 1 else {
            throw InvalidChunkEvent(description: "one batch names several collections: \(collections.sorted())")
        }
        collectionID = collections.first ?? ChunkEvent.defaultCollection
        guard !collectionID.isEmpty, collectionID.utf8.count <= 200 else { throw InvalidChunkEvent(description: "collection_id must be 1–200 bytes") }
        metadata = event.chunks.map(\.metadata)
        chunks = try event.chunks.map { chunk in
            var vector = chunk.vector
            var norm: Float = 0
            for x in vector {
                guard x.isFinite else { throw InvalidChunkEvent(description: "chunk \(chunk.chunkID) has a non-finite vector value") }
                norm += x * x
            }
            guard norm > 0 else { throw InvalidChunkEvent(description: "chunk \(chunk.chunkID) has a zero vector") }
            // Inner product is cosine only on unit vectors: normalise whatever arrives.
            if abs(norm - 1) > 1e-4 || !event.normalized {
                let scale = 1 / norm.squareRoot()
                vector = vector.map { $0 * scale }
            }
            guard !chunk.text.utf8.contains(0) else { throw InvalidChunkEvent(description: "chunk \(chunk.chunkID) text holds a NUL byte") }
            let record = ChunkRecord(
                chunkID: chunk.chunkID, documentID: event.documentID, documentVersion: Int(event.documentVersion),
                ordinal: Int(chunk.ordinal), text: chunk.text, title: event.title,
                category: chunk.metadata["category"].flatMap { $0.isEmpty ? nil : $0 },
                tags: Self.tags(chunk.metadata["tags"]),
                source: chunk.metadata["source"] ?? (event.sourceUri.isEmpty ? nil : event.sourceUri),
                page: chunk.metadata["page"].flatMap { Int($0) },
                date: (chunk.metadata["date"] ?? chunk.metadata["published_at"] ?? chunk.metadata["created_at"]).flatMap(Self.date)
            )
            return IndexedChunk(record: record, vector: vector)
        }
    }

    /// `tags` is a JSON array of strings or a comma-separated list.
    static func tags(_ raw: String?) -> [String] {
        guard let raw, !raw.isEmpty else { return [] }
        if raw.hasPrefix("["), let data = raw.data(using: .utf8), let list = try? JSONDecoder().decode([String].self, from: data) {
            return list.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// An ISO 8601 date-time, or a plain `YYYY-MM-DD` (midnight UTC).
    static func date(_ raw: String) -> Date? {
        if let date = try? Date(raw, strategy: .iso8601) { return date }
        return try? Date(raw + "T00:00:00Z", strategy: .iso8601)
    }
}
