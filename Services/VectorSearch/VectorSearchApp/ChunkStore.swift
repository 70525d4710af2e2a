import CairnPostgres
import Foundation
import Logging
import PostgresNIO

/// `cairn_vectors` and its companions: the system of record the in-memory indexes are built
/// from and kept in step with.
struct ChunkStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// What one consumed event did, in the order the events came.
    enum Effect: Sendable {
        /// Chunks stored (a batch of a deleted version stores nothing and is not confirmed);
        /// `moved` are those that were in another collection before, by that collection.
        case stored(EmbeddedBatch, written: [IndexedChunk], moved: [CollectionKey: [String]])
        /// Chunks removed, by collection.
        case deleted(DocumentDeletion, removed: [CollectionKey: [String]])
    }

    /// Applies the events in one transaction, in order. Upserts by chunk id (a redelivered
    /// batch rewrites the same rows), deletes by document version, and remembers deletions so
    /// that chunks of a deleted version arriving later are dropped. Bumps the version of every
    /// collection whose chunks changed, in the same transaction, and returns the new versions.
    func apply(_ events: [ChunkEvent]) async throws -> (effects: [Effect], versions: [CollectionKey: Int64]) {
        try await client.transaction(logger: logger) { connection in
            var effects: [Effect] = []
            var changed = Set<CollectionKey>()
            for event in events {
                switch event {
                case .embedded(let batch):
                    let moved = try await movedChunks(batch, on: connection)
                    let written = try await store(batch, on: connection)
                    if !written.isEmpty { changed.insert(batch.key) }
                    changed.formUnion(moved.keys)
                    effects.append(.stored(batch, written: written, moved: moved))
                case .deleted(let deletion):
                    let removed = try await delete(deletion, on: connection)
                    changed.formUnion(removed.keys)
                    effects.append(.deleted(deletion, removed: removed))
                }
            }
            return (effects, try await bumpVersions(changed, on: connection))
        }
    }

    /// Adds one to the version of each collection (a new one starts at 1), in key order (no
    /// deadlocks between replicas); returns the new versions.
    private func bumpVersions(_ keys: Set<CollectionKey>, on connection: PostgresConnection) async throws -> [CollectionKey: Int64] {
        var versions: [CollectionKey: Int64] = [:]
        for (tenant, keys) in Dictionary(grouping: keys.sorted(), by: \.tenantID).sorted(by: { $0.key < $1.key }) {
            guard let tenantID = UUID(uuidString: tenant) else { continue }
            let rows = try await connection.query("""
                INSERT INTO cairn_collection_versions AS v (tenant_id, collection_id, version)
                SELECT \(tenantID), c, 1 FROM UNNEST(\(keys.map(\.collectionID))::text[]) WITH ORDINALITY AS x(c, n) ORDER BY n
                ON CONFLICT (tenant_id, collection_id) DO UPDATE SET version = v.version + 1, updated_at = now()
                RETURNING collection_id, version
                """, logger: logger)
            for try await (collection, version) in rows.decode((String, Int64).self) {
                versions[CollectionKey(tenantID: tenant, collectionID: collection)] = version
            }
        }
        return versions
    }

    /// The stored versions of a tenant's collections: of `ids` (0 for a collection never
    /// written), or of every collection the tenant ever had when `ids` is nil.
    func versions(tenantID: UUID, ids: [String]?) async throws -> [String: Int64] {
        let rows = try await client.query("""
            SELECT collection_id, version FROM cairn_collection_versions
            WHERE tenant_id = \(tenantID) AND (\(ids == nil) OR collection_id = ANY(\(ids ?? [])::text[]))
            """, logger: logger)
        var versions = Dictionary((ids ?? []).map { ($0, Int64(0)) }) { first, _ in first }
        for try await (collection, version) in rows.decode((String, Int64).self) { versions[collection] = version }
        return versions
    }

    /// Every stored collection version (start-up loading).
    func allVersions() async throws -> [CollectionKey: Int64] {
        let rows = try await client.query("SELECT tenant_id, collection_id, version FROM cairn_collection_versions", logger: logger)
        var versions: [CollectionKey: Int64] = [:]
        for try await (tenant, collection, version) in rows.decode((UUID, String, Int64).self) {
            versions[CollectionKey(tenantID: tenant.uuidString.lowercased(), collectionID: collection)] = version
        }
        return versions
    }

    private func store(_ batch: EmbeddedBatch, on connection: PostgresConnection) async throws -> [IndexedChunk] {
        guard !batch.chunks.isEmpty else {
            _ = try await recordBatch(batch, count: 0, on: connection)
            return []
        }
        let chunks = batch.chunks.sorted { $0.record.chunkID < $1.record.chunkID }  // key order: no deadlocks between replicas
        let byID = Dictionary(batch.chunks.indices.map { (batch.chunks[$0].record.chunkID, $0) }, uniquingKeysWith: { $1 })
        let records = chunks.map(\.record)
        let metadata = chunks.map { chunk -> String in
            let map = batch.metadata[byID[chunk.record.chunkID]!]
            return (try? String(decoding: JSONEncoder().encode(map), as: UTF8.self)) ?? "{}"
        }
        let tags = records.map { (try? String(decoding: JSONEncoder().encode($0.tags), as: UTF8.self)) ?? "[]" }
        let dates = records.map { $0.date.map { $0.formatted(.iso8601) } ?? "" }
        let vectors = chunks.map { VectorCoding.hex($0.vector) }
        let tenant = batch.tenantID
        let rows = try await connection.query("""
            INSERT INTO cairn_vectors (tenant_id, chunk_id, collection_id, document_id, document_version, ordinal, text, title,
                                       category, tags, source, page, document_date, metadata, model, dimensions, vector)
            SELECT \(tenant), c, \(batch.collectionID), \(batch.documentID), \(batch.documentVersion), o, tx, \(records.first?.title ?? ""),
                   NULLIF(cat, ''), ARRAY(SELECT jsonb_array_elements_text(tg::jsonb)), NULLIF(src, ''), NULLIF(pg, -1),
                   NULLIF(dt, '')::timestamptz, md::jsonb, \(batch.model), \(batch.dimensions), decode(vh, 'hex')
            FROM UNNEST(\(records.map(\.chunkID))::text[], \(records.map(\.ordinal))::int4[], \(records.map(\.text))::text[],
                        \(records.map { $0.category ?? "" })::text[], \(tags)::text[], \(records.map { $0.source ?? "" })::text[],
                        \(records.map { $0.page ?? -1 })::int4[], \(dates)::text[], \(metadata)::text[], \(vectors)::text[])
                 AS x(c, o, tx, cat, tg, src, pg, dt, md, vh)
            WHERE NOT EXISTS (SELECT 1 FROM cairn_vector_deletions d
                              WHERE d.tenant_id = \(tenant) AND d.document_id = \(batch.documentID)
                                AND d.document_version IN (0, \(batch.documentVersion)))
            ON CONFLICT (tenant_id, chunk_id) DO UPDATE SET
                collection_id = EXCLUDED.collection_id, document_id = EXCLUDED.document_id,
                document_version = EXCLUDED.document_version, ordinal = EXCLUDED.ordinal, text = EXCLUDED.text,
                title = EXCLUDED.title, category = EXCLUDED.category, tags = EXCLUDED.tags, source = EXCLUDED.source,
                page = EXCLUDED.page, document_date = EXCLUDED.document_date, metadata = EXCLUDED.metadata,
                model = EXCLUDED.model, dimensions = EXCLUDED.dimensions, vector = EXCLUDED.vector, indexed_at = now()
            WHERE cairn_vectors.document_version <= EXCLUDED.document_version
            RETURNING chunk_id
            """, logger: logger)
        var written = Set<String>()
        for try await id in rows.decode(String.self) { written.insert(id) }
        if written.isEmpty, try await isDeleted(batch, on: connection) { return [] }
        _ = try await recordBatch(batch, count: batch.chunks.count, on: connection)
        return batch.chunks.filter { written.contains($0.record.chunkID) }
    }

    /// Chunks of the batch stored under another collection (a chunk id is unique per tenant:
    /// the upsert moves it, and the old collection's index must let it go).
    private func movedChunks(_ batch: EmbeddedBatch, on connection: PostgresConnection) async throws -> [CollectionKey: [String]] {
        let rows = try await connection.query("""
            SELECT collection_id, chunk_id FROM cairn_vectors
            WHERE tenant_id = \(batch.tenantID) AND chunk_id = ANY(\(batch.chunks.map(\.record.chunkID))::text[])
              AND collection_id <> \(batch.collectionID)
            """, logger: logger)
        var moved: [CollectionKey: [String]] = [:]
        let tenant = batch.tenantID.uuidString.lowercased()
        for try await (collection, chunk) in rows.decode((String, String).self) {
            moved[CollectionKey(tenantID: tenant, collectionID: collection), default: []].append(chunk)
        }
        return moved
    }

    private func isDeleted(_ batch: EmbeddedBatch, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("""
            SELECT 1 FROM cairn_vector_deletions
            WHERE tenant_id = \(batch.tenantID) AND document_id = \(batch.documentID) AND document_version IN (0, \(batch.documentVersion))
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// Records the batch as indexed (ingestion's status); false if its version was deleted.
    private func recordBatch(_ batch: EmbeddedBatch, count: Int, on connection: PostgresConnection) async throws -> Bool {
        if try await isDeleted(batch, on: connection) { return false }
        try await connection.query("""
            INSERT INTO cairn_vector_batches (tenant_id, document_id, document_version, batch_index, batch_count, collection_id, chunk_count)
            VALUES (\(batch.tenantID), \(batch.documentID), \(batch.documentVersion), \(batch.batchIndex), \(batch.batchCount),
                    \(batch.collectionID), \(count))
            ON CONFLICT (tenant_id, document_id, document_version, batch_index) DO UPDATE
                SET batch_count = EXCLUDED.batch_count, collection_id = EXCLUDED.collection_id, chunk_count = EXCLUDED.chunk_count
            """, logger: logger)
        return true
    }

    private func delete(_ deletion: DocumentDeletion, on connection: PostgresConnection) async throws -> [CollectionKey: [String]] {
        let version = deletion.version ?? 0
        try await connection.query("""
            INSERT INTO cairn_vector_deletions (tenant_id, document_id, document_version)
            VALUES (\(deletion.tenantID), \(deletion.documentID), \(version)) ON CONFLICT DO NOTHING
            """, logger: logger)
        try await connection.query("""
            DELETE FROM cairn_vector_batches
            WHERE tenant_id = \(deletion.tenantID) AND document_id = \(deletion.documentID) AND (\(version) = 0 OR document_version = \(version))
            """, logger: logger)
        let rows = try await connection.query("""
            DELETE FROM cairn_vectors
            WHERE tenant_id = \(deletion.tenantID) AND document_id = \(deletion.documentID) AND (\(version) = 0 OR document_version = \(version))
            RETURNING collection_id, chunk_id
            """, logger: logger)
        var removed: [CollectionKey: [String]] = [:]
        let tenant = deletion.tenantID.uuidString.lowercased()
        for try await (collection, chunk) in rows.decode((String, String).self) {
            removed[CollectionKey(tenantID: tenant, collectionID: collection), default: []].append(chunk)
        }
        return removed
    }

    /// Removes a whole collection of a tenant (bumping its version); returns how many chunks
    /// it held and its new version.
    func deleteCollection(_ key: CollectionKey) async throws -> (removed: Int, version: Int64?) {
        guard let tenant = UUID(uuidString: key.tenantID) else { return (0, nil) }
        return try await client.transaction(logger: logger) { connection in
            try await connection.query("""
                DELETE FROM cairn_vector_batches WHERE tenant_id = \(tenant) AND collection_id = \(key.collectionID)
                """, logger: logger)
            let rows = try await connection.query("""
                DELETE FROM cairn_vectors WHERE tenant_id = \(tenant) AND collection_id = \(key.collectionID) RETURNING 1
                """, logger: logger)
            var count = 0
            for try await _ in rows { count += 1 }
            let versions = count > 0 ? try await bumpVersions([key], on: connection) : [:]
            return (count, versions[key])
        }
    }

    /// What is stored of one document version: its batches (index → chunk count) and the
    /// batch count the producer announced.
    func indexedStatus(tenantID: UUID, documentID: String, version: Int) async throws -> (batchCount: Int, batches: [Int: Int])? {
        let rows = try await client.query("""
            SELECT batch_index, batch_count, chunk_count FROM cairn_vector_batches
            WHERE tenant_id = \(tenantID) AND document_id = \(documentID) AND document_version = \(version)
            """, logger: logger)
        var batches: [Int: Int] = [:]
        var batchCount = 0
        for try await (index, count, chunks) in rows.decode((Int, Int, Int).self) {
            batches[index] = chunks
            batchCount = max(batchCount, count)
        }
        return batches.isEmpty ? nil : (batchCount, batches)
    }

    /// Streams every stored chunk, grouped by collection (tenant, then collection), to `body`.
    func loadAll(_ body: (CollectionKey, IndexedChunk) throws -> Void) async throws {
        let rows = try await client.query("""
            SELECT tenant_id, collection_id, chunk_id, document_id, document_version, ordinal, text, title, category, tags,
                   source, page, document_date, vector
            FROM cairn_vectors ORDER BY tenant_id, collection_id, document_id, document_version, ordinal
            """, logger: logger)
        for try await (tenant, collection, chunk, document, version, ordinal, text, title, category, tags, source, page, date, vector)
            in rows.decode((UUID, String, String, String, Int, Int, String, String, String?, [String], String?, Int?, Date?, ByteBuffer).self)
        {
            let record = ChunkRecord(
                chunkID: chunk, documentID: document, documentVersion: version, ordinal: ordinal, text: text, title: title,
                category: category, tags: tags, source: source, page: page, date: date
            )
            try body(CollectionKey(tenantID: tenant.uuidString.lowercased(), collectionID: collection),
                     IndexedChunk(record: record, vector: VectorCoding.floats(vector)))
        }
    }
}

/// Vectors in Postgres: float32, little-endian, back to back (`bytea`).
enum VectorCoding {
    static func bytes(_ vector: [Float]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(vector.count * 4)
        for x in vector {
            let bits = x.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { out.append(contentsOf: $0) }
        }
        return out
    }

    static func hex(_ vector: [Float]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(vector.count * 8)
        for byte in bytes(vector) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func floats(_ buffer: ByteBuffer) -> [Float] {
        buffer.withUnsafeReadableBytes { raw in
            (0..<raw.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}
