import CairnEvents
import CairnKafka
import CairnPostgres
import CairnProtos
import Foundation
import Logging
import PostgresNIO

/// `indexed`: vector-search publishes one `DocumentIndexed` per `ChunksEmbedded` batch it
/// stored. Each confirmed batch is recorded once (`indexed_batches`, so redeliveries count
/// once); when a version has all its batches, it gets `indexed_at`, and the document — if that
/// version is still its current one and it is `chunked` — becomes `indexed`. Confirmations of
/// superseded versions are recorded and change no status; ones for unknown documents or
/// versions are dropped (logged), as are another tenant's.
struct IndexedConfirmations: Sendable {
    let client: PostgresClient
    let logger: Logger

    func handle(_ message: KafkaMessage) async throws {
        let confirmation: IngestionEvents.Confirmation
        do {
            confirmation = try IngestionEvents.confirmation(EventCodec.decode(Cairn_V1_DocumentIndexed.self, from: message.value))
        } catch {
            throw PoisonMessage("\(error)")
        }
        try await apply(confirmation)
    }

    func apply(_ confirmation: IngestionEvents.Confirmation) async throws {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT v.batch_count FROM document_versions v
                WHERE v.document_id = \(confirmation.documentID) AND v.version = \(confirmation.version) AND v.tenant_id = \(confirmation.tenantID)
                FOR UPDATE
                """, logger: logger)
            var batchCount: Int?
            for try await count in rows.decode(Int.self) { batchCount = count }
            guard let batchCount, confirmation.batchIndex < batchCount else {
                logger.info("confirmation for an unknown document version or batch dropped", metadata: [
                    "document_id": "\(confirmation.documentID.lowercased)", "version": "\(confirmation.version)",
                ])
                return
            }
            try await connection.query("""
                INSERT INTO indexed_batches (document_id, version, batch_index)
                VALUES (\(confirmation.documentID), \(confirmation.version), \(confirmation.batchIndex)) ON CONFLICT DO NOTHING
                """, logger: logger)
            let updated = try await connection.query("""
                UPDATE document_versions SET batches_indexed = (
                    SELECT count(*) FROM indexed_batches WHERE document_id = \(confirmation.documentID) AND version = \(confirmation.version)),
                  indexed_at = CASE WHEN indexed_at IS NULL AND (SELECT count(*) FROM indexed_batches
                      WHERE document_id = \(confirmation.documentID) AND version = \(confirmation.version)) >= batch_count THEN now() ELSE indexed_at END
                WHERE document_id = \(confirmation.documentID) AND version = \(confirmation.version)
                RETURNING indexed_at IS NOT NULL
                """, logger: logger)
            var complete = false
            for try await done in updated.decode(Bool.self) { complete = done }
            guard complete else { return }
            try await connection.query("""
                UPDATE documents SET status = 'indexed', indexed_at = now(), updated_at = now()
                WHERE id = \(confirmation.documentID) AND current_version = \(confirmation.version) AND status = 'chunked'
                """, logger: logger)
        }
    }
}
