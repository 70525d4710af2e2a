import CairnPostgres
import CairnProtos
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceKit

/// Documents in Postgres: the HTTP door's submissions (document row, stored upload and the
/// `DocumentSubmitted` in one transaction), reads, lists and deletions. Every query is scoped by
/// tenant, so another tenant's document is simply not found.
struct DocumentStore: Sendable {
    let client: PostgresClient
    let outbox: IngestionOutbox
    let logger: Logger

    static let columns = """
        id, tenant_id, collection_id, external_id, title, source_uri, mime_type, metadata::text AS metadata, status, current_version,
        chunk_count, bytes, error, pending_at, processing_at, chunked_at, indexed_at, failed_at, deleted_at, created_at, updated_at
        """

    static func decode(_ row: PostgresRow) throws -> (DocumentRecord, PageCursor) {
        let cells = row.makeRandomAccess()
        func get<T: PostgresDecodable>(_ name: String, _ type: T.Type = T.self) throws -> T { try cells[name].decode(T.self, context: .default) }
        var timestamps: [String: Date] = [:]
        for status in DocumentStatus.allCases {
            if let date = try get("\(status.rawValue)_at", Date?.self) { timestamps["\(status.rawValue)_at"] = date }
        }
        let metadataText: String = try get("metadata")
        let metadata = (try? JSONDecoder().decode([String: String].self, from: Data(metadataText.utf8))) ?? [:]
        let id: UUID = try get("id")
        let record = DocumentRecord(
            id: id, tenantID: try get("tenant_id"), collectionID: try get("collection_id"),
            fields: DocumentFields(title: try get("title"), sourceURI: try get("source_uri"), mimeType: try get("mime_type"), metadata: metadata,
                                   externalID: try get("external_id")),
            status: DocumentStatus(rawValue: try get("status")) ?? .failed, version: try get("current_version"), chunkCount: try get("chunk_count"),
            bytes: try get("bytes"), error: try get("error"), timestamps: timestamps, createdAt: try get("created_at"), updatedAt: try get("updated_at")
        )
        return (record, PageCursor(micros: try get("cursor"), id: id))
    }

    /// An upload the HTTP API accepted.
    struct Upload: Sendable {
        var content: ByteBuffer
        var contentType: String
        var filename: String
    }

    /// Creates the document (or, for a known `external_id` in the collection, a new submission of
    /// it), stores the upload and writes its `DocumentSubmitted` to the outbox, in one transaction:
    /// once this returns, the document will be processed whatever crashes. Nil: no such collection.
    func submit(
        tenantID: UUID, collectionID: UUID, fields: DocumentFields, upload: Upload, submittedBy: String, correlationID: String
    ) async throws -> UUID? {
        let metadata = String(decoding: try JSONEncoder().encode(fields.metadata), as: UTF8.self)
        let bytes = upload.content.readableBytes
        return try await client.transaction(logger: logger) { connection -> UUID? in
            let live = try await connection.query("""
                SELECT 1 FROM collections WHERE id = \(collectionID) AND tenant_id = \(tenantID) AND deleted_at IS NULL FOR SHARE
                """, logger: logger)
            var found = false
            for try await _ in live { found = true }
            guard found else { return nil }
            let rows = try await connection.query("""
                INSERT INTO documents (id, tenant_id, collection_id, external_id, title, source_uri, mime_type, metadata, status, bytes, pending_at)
                VALUES (\(UUID()), \(tenantID), \(collectionID), \(fields.externalID), \(fields.title), \(fields.sourceURI), \(fields.mimeType),
                        \(metadata)::jsonb, 'pending', \(bytes), now())
                ON CONFLICT (tenant_id, collection_id, external_id) WHERE external_id IS NOT NULL AND deleted_at IS NULL DO UPDATE
                SET title = EXCLUDED.title, source_uri = EXCLUDED.source_uri, mime_type = EXCLUDED.mime_type, metadata = EXCLUDED.metadata,
                    status = 'pending', pending_at = now(), error = NULL, updated_at = now()
                RETURNING id
                """, logger: logger)
            var documentID: UUID?
            for try await id in rows.decode(UUID.self) { documentID = id }
            guard let documentID else { return nil }
            let uploadID = UUID()
            try await connection.query("""
                INSERT INTO uploads (id, tenant_id, document_id, content_type, filename, content)
                VALUES (\(uploadID), \(tenantID), \(documentID), \(upload.contentType), \(upload.filename), \(upload.content))
                """, logger: logger)
            let event = IngestionEvents.submitted(tenantID: tenantID, documentID: documentID, collectionID: collectionID, uploadID: uploadID,
                                                  fields: fields, submittedBy: submittedBy, correlationID: correlationID)
            try await IngestionOutbox.enqueue([.init(event, topic: outbox.topics.submitted)], on: connection, logger: logger)
            return documentID
        }
    }

    func find(_ id: UUID, tenantID: UUID) async throws -> DocumentRecord? {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns), \(unescaped: PageCursor.column) AS cursor FROM documents WHERE id = \(id) AND tenant_id = \(tenantID)
            """, logger: logger)
        for try await row in rows { return try Self.decode(row).0 }
        return nil
    }

    struct Filter: Sendable {
        var status: DocumentStatus?
        var collectionID: UUID?
        var updatedSince: Date?
    }

    func list(tenantID: UUID, filter: Filter, limit: Int, after: PageCursor?) async throws -> Page<DocumentRecord> {
        let start = after ?? .start
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns), \(unescaped: PageCursor.column) AS cursor FROM documents
            WHERE tenant_id = \(tenantID)
              AND (\(filter.status?.rawValue)::text IS NULL AND status <> 'deleted' OR status = \(filter.status?.rawValue))
              AND (\(filter.collectionID)::uuid IS NULL OR collection_id = \(filter.collectionID))
              AND (\(filter.updatedSince)::timestamptz IS NULL OR updated_at >= \(filter.updatedSince))
              AND (\(unescaped: PageCursor.column), id) > (\(start.micros), \(start.id))
            ORDER BY created_at, id LIMIT \(limit + 1)
            """, logger: logger)
        var found: [(DocumentRecord, PageCursor)] = []
        for try await row in rows { found.append(try Self.decode(row)) }
        let page = Array(found.prefix(limit))
        return Page(key: "documents", items: page.map(\.0), nextCursor: found.count > limit ? page.last?.1.encoded : nil)
    }

    /// Marks the document deleted and holds its tombstone (all versions) until its pending events
    /// are out. False: no such document (or it was already deleted, which is not an error).
    func delete(_ id: UUID, tenantID: UUID, by: String, correlationID: String) async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT status FROM documents WHERE id = \(id) AND tenant_id = \(tenantID) FOR UPDATE
                """, logger: logger)
            var status: String?
            for try await value in rows.decode(String.self) { status = value }
            guard let status else { return false }
            if status != DocumentStatus.deleted.rawValue {
                try await markDeleted([id], tenantID: tenantID, detail: "requested via API", by: by, correlationID: correlationID, on: connection)
            }
            return true
        }
    }

    /// Deletes a collection and every document in it, in one transaction. False: no such collection.
    func deleteCollection(_ id: UUID, tenantID: UUID, collections: CollectionStore, by: String, correlationID: String) async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            guard try await collections.markDeleted(id, tenantID: tenantID, on: connection) else { return false }
            let rows = try await connection.query("""
                SELECT id FROM documents WHERE collection_id = \(id) AND tenant_id = \(tenantID) AND status <> 'deleted' ORDER BY id FOR UPDATE
                """, logger: logger)
            var ids: [UUID] = []
            for try await documentID in rows.decode(UUID.self) { ids.append(documentID) }
            try await markDeleted(ids, tenantID: tenantID, detail: "collection deleted via API", by: by, correlationID: correlationID, on: connection)
            return true
        }
    }

    private func markDeleted(
        _ ids: [UUID], tenantID: UUID, detail: String, by: String, correlationID: String, on connection: PostgresConnection
    ) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query("""
            UPDATE documents SET status = 'deleted', deleted_at = now(), updated_at = now() WHERE id = ANY(\(ids)) AND tenant_id = \(tenantID)
            """, logger: logger)
        // Uploads not yet processed will not be: the consumer skips deleted documents.
        try await connection.query("DELETE FROM uploads WHERE document_id = ANY(\(ids))", logger: logger)
        for id in ids {
            let event = IngestionEvents.deleted(tenantID: tenantID, documentID: id, version: nil, reason: .userRequest, detail: detail, by: by,
                                                correlationID: correlationID)
            try await IngestionOutbox.hold(.init(event, topic: outbox.topics.deleted), on: connection, logger: logger)
        }
    }
}
