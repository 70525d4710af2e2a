import CairnEvents
import CairnKafka
import CairnPostgres
import CairnProtos
import Foundation
import Logging
import Metrics
import NIOCore
import PostgresNIO

/// The one processing path of both doors: a `DocumentSubmitted` (inline content from an outside
/// producer, or an upload the HTTP API stored) becomes a new version's `ChunksCreated` batches.
///
/// 1. A submission already handled (its event id is in `submissions`) is done: redelivery is a no-op.
/// 2. The document is marked `processing` (created first when an outside producer names a new one).
/// 3. Extraction, normalisation, hashing and chunking run off the cooperative pool, outside any
///    transaction. The version they number is the document's current version + 1, recomputed
///    identically after a crash, so chunk ids are the same however often this runs.
/// 4. One transaction, the document locked: same hash as the current version → no-op (status
///    back to what it was); otherwise the version row (keyed by the source event id), its chunk
///    batches and usage into the outbox, the previous version's retraction held until those
///    batches are published, the upload dropped, the submission recorded, status `chunked`.
/// 5. The handler returns, and only then is the offset stored.
///
/// A document that cannot be processed ends `failed` with the reason; an outside producer's
/// message is also sent to the DLQ with it. Anything else (Postgres down) is retried until it
/// succeeds (``RetryPolicy/untilSuccess(initialBackoff:maxBackoff:)``).
struct SubmissionPipeline: Sendable {
    let client: PostgresClient
    let collections: CollectionStore
    let processor: DocumentProcessor
    let outbox: IngestionOutbox
    let batchLimits: (maxChunks: Int, maxBytes: Int)
    let logger: Logger

    private static let outcomes = ["version", "unchanged", "failed", "skipped"].reduce(into: [String: Counter]()) {
        $0[$1] = Counter(label: "ingestion_submissions_total", dimensions: [("outcome", $1)])
    }

    func handle(_ message: KafkaMessage) async throws {
        let submission: IngestionEvents.Submission
        do {
            submission = try IngestionEvents.submission(EventCodec.decode(Cairn_V1_DocumentSubmitted.self, from: message.value))
        } catch {
            throw PoisonMessage("\(error)")
        }
        let outcome = try await handle(submission)
        Self.outcomes[outcome.kind]?.increment()
        if case .failed(let reason) = outcome, submission.isExternal { throw PoisonMessage(reason) }
        if case .rejected(let reason) = outcome { throw PoisonMessage(reason) }
    }

    enum Outcome: Sendable, Equatable {
        case version(Int)
        case unchanged
        case failed(String)
        case skipped(String)
        /// The event names something that cannot exist (another tenant's document): DLQ, no state.
        case rejected(String)

        var kind: String {
            switch self {
            case .version: "version"
            case .unchanged: "unchanged"
            case .failed: "failed"
            case .skipped, .rejected: "skipped"
            }
        }
    }

    func handle(_ submission: IngestionEvents.Submission) async throws -> Outcome {
        if let previous = try await recordedOutcome(submission.eventID) { return previous }
        guard let collection = try await collections.find(submission.collectionID, tenantID: submission.tenantID) else {
            return try await finish(submission, .skipped("collection \(submission.collectionID.lowercased) does not exist"), documentID: submission.documentID)
        }
        let prepared: Prepared
        switch try await prepare(submission) {
        case .ready(let ready): prepared = ready
        case .done(let outcome): return outcome
        }
        let output: DocumentProcessor.Output
        do {
            output = try await processor.process(
                prepared.content, declaredType: prepared.contentType.isEmpty ? nil : prepared.contentType, filename: prepared.filename,
                documentID: prepared.documentID, version: prepared.currentVersion + 1, settings: collection.chunking, chunkUnless: prepared.currentHash
            )
        } catch let error as ExtractionError {
            return try await fail(submission, documentID: prepared.documentID, reason: error.reason)
        }
        if output.contentHash != prepared.currentHash, output.chunks.isEmpty {
            return try await fail(submission, documentID: prepared.documentID, reason: ExtractionError.empty.reason)
        }
        return try await commit(submission, prepared: prepared, collection: collection, output: output)
    }

    // MARK: Steps

    private func recordedOutcome(_ eventID: UUID) async throws -> Outcome? {
        let rows = try await client.query("SELECT outcome, reason FROM submissions WHERE event_id = \(eventID)", logger: logger)
        for try await (outcome, reason) in rows.decode((String, String?).self) {
            return outcome == "failed" ? .failed(reason ?? "") : .skipped("already processed")
        }
        return nil
    }

    struct Prepared: Sendable {
        var documentID: UUID
        var currentVersion: Int
        var currentHash: String?
        var content: Data
        var contentType: String
        var filename: String?
    }

    enum Preparation: Sendable {
        case ready(Prepared)
        case done(Outcome)
    }

    /// Finds (or, for an outside producer, creates) the document, marks it `processing` and
    /// loads the content.
    private func prepare(_ submission: IngestionEvents.Submission) async throws -> Preparation {
        let metadata = String(decoding: try JSONEncoder().encode(submission.metadata), as: UTF8.self)
        return try await client.transaction(logger: logger) { connection -> Preparation in
            if submission.isExternal {
                // An outside producer names the document; its external id, when known in the
                // collection, wins (resubmitting it makes a new version of the same document).
                try await connection.query("""
                    INSERT INTO documents (id, tenant_id, collection_id, external_id, title, source_uri, mime_type, metadata, status, pending_at)
                    VALUES (\(submission.documentID), \(submission.tenantID), \(submission.collectionID), \(submission.externalID), \(submission.title),
                            \(submission.sourceURI), \(submission.contentType), \(metadata)::jsonb, 'pending', now())
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            let rows = try await connection.query("""
                SELECT d.id, d.tenant_id, d.status, d.current_version, v.content_hash FROM documents d
                LEFT JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
                WHERE (d.id = \(submission.documentID)
                       OR (\(submission.externalID)::text IS NOT NULL AND d.tenant_id = \(submission.tenantID)
                           AND d.collection_id = \(submission.collectionID) AND d.external_id = \(submission.externalID)
                           AND d.deleted_at IS NULL))
                ORDER BY (d.id = \(submission.documentID) AND d.tenant_id = \(submission.tenantID)) DESC
                LIMIT 1 FOR UPDATE OF d
                """, logger: logger)
            var found: (UUID, UUID, String, Int, String?)?
            for try await row in rows.decode((UUID, UUID, String, Int, String?).self) { found = row }
            guard let (documentID, tenantID, status, version, hash) = found, tenantID == submission.tenantID else {
                return .done(.rejected("document \(submission.documentID.lowercased) belongs to another tenant or collection"))
            }
            guard status != DocumentStatus.deleted.rawValue else {
                return .done(try await record(submission.eventID, documentID: documentID, .skipped("the document was deleted"), on: connection))
            }
            let content: Data
            var contentType = submission.contentType
            var filename: String?
            if let inline = submission.inline {
                content = inline
            } else {
                let uploads = try await connection.query("""
                    SELECT content, content_type, filename FROM uploads WHERE id = \(submission.uploadID) AND tenant_id = \(submission.tenantID)
                    """, logger: logger)
                var upload: (ByteBuffer, String, String)?
                for try await row in uploads.decode((ByteBuffer, String, String).self) { upload = row }
                guard let upload else {
                    return .done(try await record(submission.eventID, documentID: documentID, .skipped("the upload is gone"), on: connection))
                }
                content = Data(buffer: upload.0)
                if contentType.isEmpty { contentType = upload.1 }
                filename = upload.2.isEmpty ? nil : upload.2
            }
            try await connection.query("""
                UPDATE documents SET status = 'processing', processing_at = now(), updated_at = now() WHERE id = \(documentID)
                """, logger: logger)
            return .ready(Prepared(documentID: documentID, currentVersion: version, currentHash: hash, content: content, contentType: contentType,
                                   filename: filename))
        }
    }

    private func commit(
        _ submission: IngestionEvents.Submission, prepared: Prepared, collection: DocumentCollection, output: DocumentProcessor.Output
    ) async throws -> Outcome {
        try await client.transaction(logger: logger) { connection -> Outcome in
            let rows = try await connection.query("""
                SELECT d.status, d.current_version, v.content_hash, v.indexed_at IS NOT NULL FROM documents d
                LEFT JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
                WHERE d.id = \(prepared.documentID) FOR UPDATE OF d
                """, logger: logger)
            var state: (String, Int, String?, Bool?)?
            for try await row in rows.decode((String, Int, String?, Bool?).self) { state = row }
            guard let (status, current, hash, indexed) = state else { throw SubmissionRejected("document vanished") }
            if status == DocumentStatus.deleted.rawValue {
                return try await record(submission.eventID, documentID: prepared.documentID, .skipped("the document was deleted"), on: connection)
            }
            if hash == output.contentHash {
                // Same content: nothing new; the document returns to where its version is.
                let back: DocumentStatus = indexed == true ? .indexed : .chunked
                try await connection.query("""
                    UPDATE documents SET status = \(back.rawValue), error = NULL, updated_at = now() WHERE id = \(prepared.documentID)
                    """, logger: logger)
                try await dropUpload(submission, on: connection)
                return try await record(submission.eventID, documentID: prepared.documentID, .unchanged, on: connection)
            }
            guard current == prepared.currentVersion else {
                // Another submission of the document committed meanwhile (not possible with one
                // consumer per partition); process again from the start.
                throw VersionMoved()
            }
            let version = current + 1
            let document = ProcessedDocument(
                tenantID: submission.tenantID, documentID: prepared.documentID, collectionID: collection.id, version: version,
                title: submission.title.isEmpty ? (output.title ?? "") : submission.title, sourceURI: submission.sourceURI,
                metadata: submission.metadata, chunkerName: collection.chunking.chunkerName, correlationID: submission.correlationID,
                bytes: prepared.content.count
            )
            let batches = IngestionEvents.chunkBatches(output.chunks, document: document, limits: batchLimits)
            try await connection.query("""
                INSERT INTO document_versions (document_id, version, tenant_id, content_hash, chunk_count, batch_count, bytes, source_event_id)
                VALUES (\(prepared.documentID), \(version), \(submission.tenantID), \(output.contentHash), \(output.chunks.count), \(batches.count),
                        \(document.bytes), \(submission.eventID))
                """, logger: logger)
            try await connection.query("""
                UPDATE documents SET status = 'chunked', chunked_at = now(), current_version = \(version), chunk_count = \(output.chunks.count),
                       bytes = \(document.bytes), error = NULL, updated_at = now(),
                       title = CASE WHEN title = '' THEN \(document.title) ELSE title END
                WHERE id = \(prepared.documentID)
                """, logger: logger)
            var entries = batches.map { IngestionOutbox.Entry($0, topic: outbox.topics.chunks) }
            entries += IngestionEvents.usage(document, firstVersion: current == 0).map { IngestionOutbox.Entry($0, topic: outbox.topics.usage) }
            try await IngestionOutbox.enqueue(entries, on: connection, logger: logger)
            if current > 0 {
                try await connection.query("""
                    UPDATE document_versions SET superseded_at = now() WHERE document_id = \(prepared.documentID) AND version = \(current)
                    """, logger: logger)
                let retraction = IngestionEvents.deleted(
                    tenantID: submission.tenantID, documentID: prepared.documentID, version: current, reason: .superseded,
                    detail: "superseded by version \(version)", by: IngestionEvents.producer, correlationID: submission.correlationID
                )
                try await IngestionOutbox.hold(.init(retraction, topic: outbox.topics.deleted), on: connection, logger: logger)
            }
            try await dropUpload(submission, on: connection)
            return try await record(submission.eventID, documentID: prepared.documentID, .version(version), on: connection)
        }
    }

    struct VersionMoved: Error {}

    /// Marks the document failed with `reason` and records the submission.
    private func fail(_ submission: IngestionEvents.Submission, documentID: UUID, reason: String) async throws -> Outcome {
        try await client.transaction(logger: logger) { connection -> Outcome in
            try await connection.query("""
                UPDATE documents SET status = 'failed', failed_at = now(), error = \(reason), updated_at = now()
                WHERE id = \(documentID) AND status <> 'deleted'
                """, logger: logger)
            try await dropUpload(submission, on: connection)
            return try await record(submission.eventID, documentID: documentID, .failed(reason), on: connection)
        }
    }

    private func finish(_ submission: IngestionEvents.Submission, _ outcome: Outcome, documentID: UUID) async throws -> Outcome {
        try await client.transaction(logger: logger) { connection in
            try await record(submission.eventID, documentID: documentID, outcome, on: connection)
        }
    }

    private func dropUpload(_ submission: IngestionEvents.Submission, on connection: PostgresConnection) async throws {
        guard let uploadID = submission.uploadID else { return }
        try await connection.query("DELETE FROM uploads WHERE id = \(uploadID)", logger: logger)
    }

    @discardableResult
    private func record(_ eventID: UUID, documentID: UUID, _ outcome: Outcome, on connection: PostgresConnection) async throws -> Outcome {
        let reason: String? = switch outcome {
        case .failed(let why), .skipped(let why), .rejected(let why): why
        case .version, .unchanged: nil
        }
        try await connection.query("""
            INSERT INTO submissions (event_id, document_id, outcome, reason) VALUES (\(eventID), \(documentID), \(outcome.kind), \(reason))
            ON CONFLICT (event_id) DO NOTHING
            """, logger: logger)
        logger.debug("document submission processed", metadata: ["document_id": "\(documentID.lowercased)", "outcome": "\(outcome.kind)"])
        return outcome
    }
}
