import CairnEvents
import CairnProtos
import Foundation

/// The one place ingestion's domain meets the generated protobuf types: what it reads from a
/// `DocumentSubmitted` and `DocumentIndexed`, and every event it writes.
enum IngestionEvents {
    static let producer = "ingestion"

    /// A `DocumentSubmitted` as the pipeline needs it.
    struct Submission: Sendable {
        var eventID: UUID
        var tenantID: UUID
        var documentID: UUID
        var collectionID: UUID
        var externalID: String?
        var title: String
        var sourceURI: String
        var contentType: String
        var metadata: [String: String]
        var submittedBy: String
        var correlationID: String
        /// Inline content, or nil when it is an upload stored by the HTTP API.
        var inline: Data?
        var uploadID: UUID?

        /// Whether an outside producer sent it (its bad content also goes to the DLQ).
        var isExternal: Bool { uploadID == nil }
    }

    /// Reads a decoded, checked event; ids that are not UUIDs are the event's fault.
    static func submission(_ event: Cairn_V1_DocumentSubmitted) throws(SubmissionRejected) -> Submission {
        guard let eventID = UUID(uuidString: event.meta.eventID) else { throw SubmissionRejected("meta.event_id is not a UUID") }
        guard let tenantID = UUID(uuidString: event.meta.tenantID) else { throw SubmissionRejected("meta.tenant_id is not a UUID") }
        guard let documentID = UUID(uuidString: event.documentID) else { throw SubmissionRejected("document_id is not a UUID") }
        guard let collectionID = UUID(uuidString: event.collectionID) else { throw SubmissionRejected("collection_id is not a UUID") }
        var uploadID: UUID?
        if !event.uploadID.isEmpty {
            guard let id = UUID(uuidString: event.uploadID) else { throw SubmissionRejected("upload_id is not a UUID") }
            uploadID = id
        }
        var inline: Data?
        var contentType = event.contentType
        switch event.content {
        case .raw(let raw)?: inline = raw
        case .text(let text)?:
            inline = Data(text.utf8)
            // Text is UTF-8 by definition, whatever charset the type names.
            if contentType.isEmpty { contentType = "text/plain" }
        case nil: break
        }
        return Submission(
            eventID: eventID, tenantID: tenantID, documentID: documentID, collectionID: collectionID,
            externalID: event.externalID.isEmpty ? nil : event.externalID, title: event.title, sourceURI: event.sourceUri,
            contentType: contentType, metadata: event.metadata, submittedBy: event.submittedBy,
            correlationID: event.meta.correlationID, inline: inline, uploadID: uploadID
        )
    }

    /// The HTTP API's submission of an upload it stored.
    static func submitted(
        tenantID: UUID, documentID: UUID, collectionID: UUID, uploadID: UUID, fields: DocumentFields, submittedBy: String, correlationID: String
    ) -> Cairn_V1_DocumentSubmitted {
        Cairn_V1_DocumentSubmitted.make(tenantID: tenantID.lowercased, producer: producer, correlationID: correlationID) {
            $0.documentID = documentID.lowercased
            $0.collectionID = collectionID.lowercased
            $0.uploadID = uploadID.lowercased
            $0.externalID = fields.externalID ?? ""
            $0.title = fields.title
            $0.sourceUri = fields.sourceURI
            $0.contentType = fields.mimeType
            $0.metadata = fields.metadata
            $0.submittedBy = submittedBy
        }
    }

    /// A version's chunks as `ChunksCreated` batches of at most `maxChunks` chunks and about
    /// `maxBytes` bytes of chunk text and metadata each (one oversized chunk still makes a batch).
    static func chunkBatches(
        _ chunks: [Chunk], document: ProcessedDocument, limits: (maxChunks: Int, maxBytes: Int)
    ) -> [Cairn_V1_ChunksCreated] {
        var groups: [[Cairn_V1_Chunk]] = [[]]
        var bytes = 0
        for chunk in chunks {
            let message = protoChunk(chunk, document: document)
            let size = message.text.utf8.count + message.metadata.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 8 } + 48
            if !groups[groups.count - 1].isEmpty, groups[groups.count - 1].count >= limits.maxChunks || bytes + size > limits.maxBytes {
                groups.append([])
                bytes = 0
            }
            groups[groups.count - 1].append(message)
            bytes += size
        }
        return groups.enumerated().map { index, group in
            Cairn_V1_ChunksCreated.make(tenantID: document.tenantID.lowercased, producer: producer, correlationID: document.correlationID) {
                $0.documentID = document.documentID.lowercased
                $0.documentVersion = UInt32(document.version)
                $0.chunks = group
                $0.batchIndex = UInt32(index)
                $0.batchCount = UInt32(groups.count)
                $0.chunker = document.chunkerName
                $0.title = document.title
                $0.sourceUri = document.sourceURI
                $0.collectionID = document.collectionID.lowercased
            }
        }
    }

    private static func protoChunk(_ chunk: Chunk, document: ProcessedDocument) -> Cairn_V1_Chunk {
        var message = Cairn_V1_Chunk()
        message.chunkID = chunk.id
        message.ordinal = UInt32(chunk.ordinal)
        message.text = chunk.text
        message.tokenCount = UInt32(chunk.tokenCount)
        message.charStart = UInt32(chunk.charStart)
        message.charEnd = UInt32(chunk.charEnd)
        var metadata = document.metadata
        metadata["collection_id"] = document.collectionID.lowercased
        if let page = chunk.page { metadata["page"] = "\(page)" }
        if let lastPage = chunk.lastPage, lastPage != chunk.page { metadata["last_page"] = "\(lastPage)" }
        if let heading = chunk.heading { metadata["heading"] = heading }
        if chunk.headingPath.count > 1 { metadata["section_path"] = chunk.headingPath.joined(separator: " > ") }
        message.metadata = metadata
        return message
    }

    /// Retracts one version (superseded) or every version (a deletion) of a document.
    static func deleted(
        tenantID: UUID, documentID: UUID, version: Int?, reason: Cairn_V1_DeletionReason, detail: String, by: String, correlationID: String
    ) -> Cairn_V1_DocumentDeleted {
        Cairn_V1_DocumentDeleted.make(tenantID: tenantID.lowercased, producer: producer, correlationID: correlationID) {
            $0.documentID = documentID.lowercased
            if let version { $0.version = UInt32(version) } else { $0.allVersions = .init() }
            $0.reason = reason
            $0.reasonDetail = detail
            $0.deletedBy = by
        }
    }

    /// Usage billing meters: `DOCUMENT_STORED` once per document (its first version), and the
    /// bytes of every version stored (`DOCUMENT_BYTES`). Usage ids name the document (and
    /// version), so however often an event is produced, billing counts it once.
    static func usage(_ document: ProcessedDocument, firstVersion: Bool) -> [Cairn_V1_UsageRecorded] {
        func make(_ kind: Cairn_V1_UsageKind, _ usageID: String, _ quantity: Int64, _ unit: String) -> Cairn_V1_UsageRecorded {
            Cairn_V1_UsageRecorded.make(tenantID: document.tenantID.lowercased, producer: producer, correlationID: document.correlationID) {
                $0.usageID = usageID
                $0.subjectType = .service
                $0.subjectID = producer
                $0.kind = kind
                $0.quantity = quantity
                $0.unit = unit
                $0.documentID = document.documentID.lowercased
                $0.attributes = ["collection_id": document.collectionID.lowercased, "version": "\(document.version)"]
            }
        }
        let id = document.documentID.lowercased
        var events = [make(.documentBytes, "ingestion:document-bytes:\(id):\(document.version)", Int64(document.bytes), "bytes")]
        if firstVersion { events.insert(make(.documentStored, "ingestion:document-stored:\(id)", 1, "documents"), at: 0) }
        return events
    }

    /// A `DocumentIndexed` as the confirmation consumer needs it.
    struct Confirmation: Sendable {
        var tenantID: UUID
        var documentID: UUID
        var version: Int
        var batchIndex: Int
        var batchCount: Int
    }

    static func confirmation(_ event: Cairn_V1_DocumentIndexed) throws(SubmissionRejected) -> Confirmation {
        guard let tenantID = UUID(uuidString: event.meta.tenantID) else { throw SubmissionRejected("meta.tenant_id is not a UUID") }
        guard let documentID = UUID(uuidString: event.documentID) else { throw SubmissionRejected("document_id is not a UUID") }
        return Confirmation(tenantID: tenantID, documentID: documentID, version: Int(event.documentVersion),
                            batchIndex: Int(event.batchIndex), batchCount: Int(event.batchCount))
    }
}

/// An event ingestion can never act on; the reason goes to the DLQ headers.
struct SubmissionRejected: Error, CustomStringConvertible {
    var reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { reason }
}

extension UUID {
    /// The lower-case form every event and answer uses.
    var lowercased: String { uuidString.lowercased() }
}
