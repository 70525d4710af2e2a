import CairnEvents
import CairnKafka
import CairnPostgres
import CairnProtos
import Foundation
import Logging
import Metrics
import PostgresNIO

/// The consumer of `ChunksEmbedded` and `DocumentDeleted`: decode each record (one that can
/// never be indexed is a poison message: the worker sends it to the DLQ with the reason), apply
/// the batch to Postgres in one transaction, then to the in-memory indexes in the same order,
/// then confirm each stored batch with a `DocumentIndexed` event. The offsets are stored only
/// after the handler returns, so a crash anywhere redelivers the batch: the upserts by chunk id
/// and the deletions are idempotent, and a restart rebuilds the indexes from Postgres anyway.
///
/// Postgres down, the broker refusing the confirmation, a deadlock: transient, retried until
/// it succeeds (``RetryPolicy/untilSuccess(initialBackoff:maxBackoff:)``).
enum ChunkConsumer {
    static func handler(
        store: ChunkStore, registry: IndexRegistry, producer: KafkaProducer, deletionsTopic: String, indexedTopic: String, logger: Logger
    ) -> KafkaConsumerWorker.BatchHandler {
        let stored = Counter(label: "vector_search_chunks_total", dimensions: [("outcome", "stored")])
        let removed = Counter(label: "vector_search_chunks_total", dimensions: [("outcome", "deleted")])
        return { messages in
            var events: [ChunkEvent] = []
            events.reserveCapacity(messages.count)
            for message in messages {
                do {
                    events.append(try ChunkEvent.decode(message.value, isDeletion: message.topic == deletionsTopic))
                } catch {
                    throw PoisonMessage("\(error)")
                }
            }
            // A collection holds vectors of one length: a batch of another is the event's fault,
            // caught before anything is stored.
            var dimensions: [CollectionKey: Int] = [:]
            for case .embedded(let batch) in events {
                let expected = dimensions[batch.key] ?? registry.index(batch.key)?.dimensions ?? batch.dimensions
                guard expected == batch.dimensions else {
                    throw PoisonMessage("collection \(batch.collectionID) holds \(expected)-d vectors, the batch has \(batch.dimensions)-d")
                }
                dimensions[batch.key] = expected
            }
            let effects: [ChunkStore.Effect]
            let versions: [CollectionKey: Int64]
            do {
                (effects, versions) = try await store.apply(events)
            } catch let error as PSQLError where error.rejectsData {
                throw PoisonMessage("Postgres refused the event: \(error.serverSummary)")
            }
            var confirmations: [KafkaRecord] = []
            for effect in effects {
                switch effect {
                case .stored(let batch, let written, let moved):
                    let writtenIDs = Set(written.map(\.record.chunkID))
                    for (key, ids) in moved {
                        _ = try? registry.write(key, dimensions: nil) { $0.remove(chunkIDs: ids.filter(writtenIDs.contains)) }
                    }
                    // Graph inserts are CPU work: off the cooperative pool.
                    try await BlockingWork.run {
                        try IndexWriter.upsert(written, into: batch.key, dimensions: batch.dimensions, registry: registry)
                    }
                    stored.increment(by: written.count)
                    confirmations.append(confirmation(batch, topic: indexedTopic))
                case .deleted(let deletion, let chunks):
                    for (key, ids) in chunks {
                        _ = try? registry.write(key, dimensions: nil) { $0.remove(chunkIDs: ids) }
                        removed.increment(by: ids.count)
                    }
                    logger.info("document deleted", metadata: [
                        "tenant_id": "\(deletion.tenantID)", "document_id": "\(deletion.documentID)",
                        "version": "\(deletion.version.map(String.init) ?? "all")", "chunks": "\(chunks.values.map(\.count).reduce(0, +))",
                    ])
                }
            }
            registry.setVersions(versions)
            guard !confirmations.isEmpty else { return }
            for result in try await producer.send(confirmations) {
                if case .failure(let error) = result { throw error }
            }
        }
    }

    static func confirmation(_ batch: EmbeddedBatch, topic: String) -> KafkaRecord {
        var event = Cairn_V1_DocumentIndexed()
        event.meta = .make(for: Cairn_V1_DocumentIndexed.self, tenantID: batch.tenantID.uuidString.lowercased(), producer: "vector-search")
        event.documentID = batch.documentID
        event.documentVersion = UInt32(batch.documentVersion)
        event.collectionID = batch.collectionID
        event.batchIndex = UInt32(batch.batchIndex)
        event.batchCount = UInt32(batch.batchCount)
        event.chunkCount = UInt32(batch.chunks.count)
        let key = EventTopic.documentsIndexed.keyRule.key(tenantID: event.meta.tenantID, documentID: batch.documentID)
        return KafkaRecord(topic: topic, key: key, value: EventCodec.encode(event))
    }
}

/// Puts stored chunks into the in-memory index of their collection.
enum IndexWriter {
    static func upsert(_ chunks: [IndexedChunk], into key: CollectionKey, dimensions: Int, registry: IndexRegistry) throws {
        guard !chunks.isEmpty else { return }
        _ = try registry.write(key, dimensions: dimensions) { $0.upsert(chunks) }
    }
}
