import CairnEvents
import CairnKafka
import CairnProtos
import Crypto
import Foundation
import Logging
import Metrics

/// The worker's handler: `ChunksCreated` in, `ChunksEmbedded` (and `UsageRecorded`) out.
///
/// For a batch of messages: decode and check each (an undecodable or invalid event, chunks that
/// name different collections, or an output that would exceed the record limit is a poison
/// message: the consumer sends it to the DLQ with the reason and moves on), embed every chunk of
/// the batch in one call per model (the batcher turns that into full forward passes, the cache
/// skips chunks seen before), then produce one `ChunksEmbedded` per input message and one
/// usage event per input message, and wait until the broker acknowledged all of them. Only
/// then does the handler return and the consumer store the offsets: a crash anywhere before
/// that redelivers the batch, and a redelivered batch produces the same events again (same
/// event ids, same usage ids), which vector-search and billing absorb.
struct ChunkEmbeddingHandler: Sendable {
    let directory: EmbedderDirectory
    let producer: KafkaProducer
    let embeddedTopic: String
    let usageTopic: String
    let maxRecordBytes: Int
    let logger: Logger

    private static let chunksCounter = Counter(label: "embedding_worker_chunks_total")

    /// One input message on its way to becoming an output.
    private struct Item {
        var input: Cairn_V1_ChunksCreated
        var embedder: any Embedder
        var output: Cairn_V1_ChunksEmbedded
        /// Tokens the model saw for this message's chunks (filled in by ``embed(_:)``).
        var embeddedTokens = 0
    }

    func handle(_ messages: [KafkaMessage]) async throws {
        var items: [Item] = []
        items.reserveCapacity(messages.count)
        for message in messages { items.append(try prepare(message)) }
        try await embed(&items)
        var records: [KafkaRecord] = []
        for item in items {
            records.append(KafkaRecord(topic: embeddedTopic, key: item.output.partitionKey, value: EventCodec.encode(item.output)))
            if let usage = usage(of: item) { records.append(EmbeddingUsage.record(usage, topic: usageTopic)) }
        }
        for result in try await producer.send(records) { _ = try result.get() }
        Self.chunksCounter.increment(by: items.reduce(0) { $0 + $1.output.chunks.count })
    }

    /// Decodes and checks one message and builds its output with zero vectors (packed floats
    /// take 4 bytes whatever their value, so the record's final size is known before any work).
    private func prepare(_ message: KafkaMessage) throws -> Item {
        let input: Cairn_V1_ChunksCreated
        do {
            input = try EventCodec.decode(Cairn_V1_ChunksCreated.self, from: message.value)
        } catch {
            throw PoisonMessage("\(error)")
        }
        // The event's collection_id; older producers put it in each chunk's metadata.
        var collections = Set(input.chunks.compactMap { $0.metadata[EmbedderDirectory.collectionKey] })
        if !input.collectionID.isEmpty { collections.insert(input.collectionID) }
        guard collections.count <= 1 else {
            throw PoisonMessage("invalid event payload: the chunks of one ChunksCreated name \(collections.count) collections; one batch is one document")
        }
        let embedder = directory.embedder(collection: collections.first)
        let output = Self.output(for: input, model: embedder.info)
        let size = EventCodec.encode(output).count
        guard size <= maxRecordBytes else {
            throw PoisonMessage(
                "the ChunksEmbedded of this batch would be \(size) bytes, above the \(maxRecordBytes)-byte record limit "
                    + "(each chunk adds \(embedder.info.dimensions * 4) bytes of vector); send smaller batches"
            )
        }
        return Item(input: input, embedder: embedder, output: output)
    }

    /// Embeds every chunk of the batch, one call per model, and fills in the vectors.
    private func embed(_ items: inout [Item]) async throws {
        var byModel: [String: [Int]] = [:]
        for (index, item) in items.enumerated() where !item.input.chunks.isEmpty {
            byModel[item.embedder.info.cacheNamespace, default: []].append(index)
        }
        for indices in byModel.values {
            let embedder = items[indices[0]].embedder
            let texts = indices.flatMap { items[$0].input.chunks.map(\.text) }
            let embeddings: Embeddings
            do {
                embeddings = try await embedder.embed(texts, priority: .bulk)
            } catch EmbeddingError.providerRejected(let provider, let status) where [400, 413, 422].contains(status) {
                throw PoisonMessage("embedding provider \(provider) refused these chunks (HTTP \(status))")
            }
            var position = 0
            for index in indices {
                for chunk in items[index].output.chunks.indices {
                    items[index].output.chunks[chunk].vector = embeddings.vectors[position]
                    items[index].embeddedTokens += embeddings.tokenCounts[position]
                    position += 1
                }
            }
        }
    }

    static func output(for input: Cairn_V1_ChunksCreated, model: EmbeddingModelInfo) -> Cairn_V1_ChunksEmbedded {
        var output = Cairn_V1_ChunksEmbedded()
        output.meta = .make(
            for: Cairn_V1_ChunksEmbedded.self, tenantID: input.meta.tenantID, producer: EmbeddingService.name,
            correlationID: input.meta.correlationID, eventID: derivedID("chunks-embedded", input.meta.eventID, model.cacheNamespace)
        )
        output.documentID = input.documentID
        output.documentVersion = input.documentVersion
        output.model = model.id
        output.dimensions = UInt32(model.dimensions)
        output.normalized = model.normalized
        output.batchIndex = input.batchIndex
        output.batchCount = input.batchCount
        output.title = input.title
        output.sourceUri = input.sourceUri
        output.collectionID = input.collectionID
        let zeros = [Float](repeating: 0, count: model.dimensions)
        output.chunks = input.chunks.map { chunk in
            var embedded = Cairn_V1_EmbeddedChunk()
            embedded.chunkID = chunk.chunkID
            embedded.ordinal = chunk.ordinal
            embedded.text = chunk.text
            embedded.metadata = chunk.metadata
            embedded.tokenCount = chunk.tokenCount
            embedded.charStart = chunk.charStart
            embedded.charEnd = chunk.charEnd
            embedded.vector = zeros
            return embedded
        }
        return output
    }

    /// The batch's usage for billing: the tokens embedded (after truncation, cached or not),
    /// keyed by the input event so a redelivery is counted once.
    private func usage(of item: Item) -> Cairn_V1_UsageRecorded? {
        guard item.embeddedTokens > 0 else { return nil }
        let input = item.input
        return EmbeddingUsage.event(
            tenantID: input.meta.tenantID, usageID: "embedding-chunks:\(input.meta.eventID)", subject: (.service, EmbeddingService.name),
            tokens: item.embeddedTokens, model: item.embedder.info.id, documentID: input.documentID,
            correlationID: input.meta.correlationID.isEmpty ? input.meta.eventID : input.meta.correlationID,
            attributes: [
                "source": "worker", "chunks": "\(input.chunks.count)", "document_version": "\(input.documentVersion)",
                "batch_index": "\(input.batchIndex)", "provider": item.embedder.info.provider,
            ],
            eventID: Self.derivedID("usage", input.meta.eventID, "")
        )
    }

    /// A UUID (version 8, RFC 9562) derived from `parts`: the same input event always yields the
    /// same output event id, so a republished output is recognisably the same event.
    static func derivedID(_ parts: String...) -> UUID {
        var bytes = Array(SHA256.hash(data: Array(parts.joined(separator: "\u{1F}").utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        ))
    }
}
