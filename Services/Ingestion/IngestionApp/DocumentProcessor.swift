import CairnTokenizer
import Foundation

/// A document version ready to publish: who and what it is, its chunks and content hash.
struct ProcessedDocument: Sendable {
    var tenantID: UUID
    var documentID: UUID
    var collectionID: UUID
    var version: Int
    var title: String
    var sourceURI: String
    var metadata: [String: String]
    var chunkerName: String
    var correlationID: String
    /// Bytes of the submitted content (what storage is metered by).
    var bytes: Int
}

/// The processing core as the pipeline calls it: extract, normalise (inside extraction), hash,
/// chunk, on the ``ExtractionExecutor`` rather than the cooperative pool.
struct DocumentProcessor: Sendable {
    let extractor: DocumentExtractor
    let tokenizer: BertTokenizer
    let executor: ExtractionExecutor
    let maxChunks: Int

    struct Output: Sendable {
        var contentHash: String
        var chunks: [Chunk]
        var title: String?
    }

    /// The text's hash, and its chunks for `version` (made only when `chunkUnless` differs from
    /// the hash: unchanged content costs no chunking).
    func process(
        _ content: Data, declaredType: String?, filename: String?, documentID: UUID, version: Int, settings: ChunkingSettings,
        chunkUnless knownHash: String?
    ) async throws -> Output {
        try await withTaskExecutorPreference(executor) { [extractor, tokenizer, maxChunks] in
            let document = try await extractor.extract(content, declaredType: declaredType, filename: filename)
            let hash = document.contentHash
            guard hash != knownHash else { return Output(contentHash: hash, chunks: [], title: document.title) }
            var settings = settings
            settings.maxChunks = maxChunks
            let chunks = try Chunker(tokenizer: tokenizer, settings: settings).chunks(of: document, documentID: documentID.lowercased, version: version)
            return Output(contentHash: hash, chunks: chunks, title: document.title)
        }
    }
}
