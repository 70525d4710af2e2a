import CairnPostgres
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Collections in Postgres. Every query is scoped by tenant; a deleted collection is gone to
/// every reader.
struct CollectionStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    private static let columns = "id, tenant_id, name, description, chunk_size, chunk_overlap, embedding_model, created_at, updated_at"

    private static func decode(_ rows: PostgresRowSequence) async throws -> [(DocumentCollection, PageCursor)] {
        var result: [(DocumentCollection, PageCursor)] = []
        for try await row in rows {
            let (id, tenant, name, description, size, overlap, model, created, updated, micros) = try row.decode(
                (UUID, UUID, String, String, Int, Int, String, Date, Date, Int64).self
            )
            result.append((DocumentCollection(id: id, tenantID: tenant, name: name, description: description, chunkSize: size, chunkOverlap: overlap,
                                              embeddingModel: model, createdAt: created, updatedAt: updated), PageCursor(micros: micros, id: id)))
        }
        return result
    }

    func create(_ collection: DocumentCollection) async throws {
        do {
            try await client.query("""
                INSERT INTO collections (id, tenant_id, name, description, chunk_size, chunk_overlap, embedding_model, created_at, updated_at)
                VALUES (\(collection.id), \(collection.tenantID), \(collection.name), \(collection.description), \(collection.chunkSize),
                        \(collection.chunkOverlap), \(collection.embeddingModel), \(collection.createdAt), \(collection.updatedAt))
                """, logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw IngestionError.conflict("a collection named \"\(collection.name)\" exists")
        }
    }

    /// A live collection of the tenant; `lock` takes a share lock (a document being added
    /// keeps the collection from being deleted under it).
    func find(_ id: UUID, tenantID: UUID, on connection: PostgresConnection? = nil, lock: Bool = false) async throws -> DocumentCollection? {
        let query: PostgresQuery = """
            SELECT \(unescaped: Self.columns), \(unescaped: PageCursor.column) FROM collections
            WHERE id = \(id) AND tenant_id = \(tenantID) AND deleted_at IS NULL \(unescaped: lock ? "FOR SHARE" : "")
            """
        let rows = if let connection { try await connection.query(query, logger: logger) } else { try await client.query(query, logger: logger) }
        return try await Self.decode(rows).first?.0
    }

    func list(tenantID: UUID, limit: Int, after: PageCursor?) async throws -> Page<DocumentCollection> {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns), \(unescaped: PageCursor.column) FROM collections
            WHERE tenant_id = \(tenantID) AND deleted_at IS NULL
              AND (\(unescaped: PageCursor.column), id) > (\((after ?? .start).micros), \((after ?? .start).id))
            ORDER BY created_at, id LIMIT \(limit + 1)
            """, logger: logger)
        let found = try await Self.decode(rows)
        let page = Array(found.prefix(limit))
        return Page(key: "collections", items: page.map(\.0), nextCursor: found.count > limit ? page.last?.1.encoded : nil)
    }

    func update(_ collection: DocumentCollection) async throws {
        do {
            try await client.query("""
                UPDATE collections SET name = \(collection.name), description = \(collection.description), chunk_size = \(collection.chunkSize),
                       chunk_overlap = \(collection.chunkOverlap), updated_at = now()
                WHERE id = \(collection.id) AND tenant_id = \(collection.tenantID) AND deleted_at IS NULL
                """, logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw IngestionError.conflict("a collection named \"\(collection.name)\" exists")
        }
    }

    /// Marks the collection deleted; false if there was no live one.
    func markDeleted(_ id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("""
            UPDATE collections SET deleted_at = now(), updated_at = now()
            WHERE id = \(id) AND tenant_id = \(tenantID) AND deleted_at IS NULL RETURNING id
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }
}
