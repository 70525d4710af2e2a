import Foundation
import Logging

/// Builds every collection's in-memory index from `cairn_vectors` at start-up, logging progress,
/// before the consumer starts (so nothing is indexed twice or out of order).
enum IndexLoader {
    /// Chunks handed to the graph builder at once (its threads work on a batch in parallel).
    static let batchSize = 20_000

    static func load(store: ChunkStore, registry: IndexRegistry, logger: Logger) async throws {
        let started = ContinuousClock.now
        var pending: [IndexedChunk] = []
        var pendingKey: CollectionKey?
        var loaded = 0
        var collections = 0
        func flush() async throws {
            guard let key = pendingKey, !pending.isEmpty else { return }
            let chunks = pending
            pending.removeAll(keepingCapacity: true)
            do {
                try await BlockingWork.run {
                    try IndexWriter.upsert(chunks, into: key, dimensions: chunks[0].vector.count, registry: registry)
                }
            } catch let error as IndexError {
                // Rows of another length than their collection's (stored before the consumer
                // checked): left out of the index, not a reason to stop.
                logger.error("chunks left out of the index", metadata: [
                    "tenant_id": "\(key.tenantID)", "collection_id": "\(key.collectionID)", "chunks": "\(chunks.count)", "error": "\(error)",
                ])
            }
            loaded += chunks.count
            logger.info("loading indexes", metadata: [
                "chunks": "\(loaded)", "collections": "\(collections)", "elapsed": "\(ContinuousClock.now - started)",
            ])
        }
        // Rows arrive grouped by collection. They are read in full first (the stream's
        // callback cannot wait for a build), then built collection by collection.
        var rows: [(CollectionKey, IndexedChunk)] = []
        try await store.loadAll { key, chunk in rows.append((key, chunk)) }
        for (key, chunk) in rows {
            if key != pendingKey || pending.count >= batchSize || (pending.first.map { $0.vector.count != chunk.vector.count } ?? false) {
                try await flush()
                if key != pendingKey { collections += 1 }
                pendingKey = key
            }
            pending.append(chunk)
        }
        rows.removeAll()
        try await flush()
        registry.setVersions(try await store.allVersions())
        logger.info("indexes loaded", metadata: [
            "chunks": "\(loaded)", "collections": "\(collections)", "took": "\(ContinuousClock.now - started)",
        ])
    }
}
