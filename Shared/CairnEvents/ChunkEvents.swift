import CairnProtos

extension Cairn_V1_ChunksCreated: DocumentEvent {
    public static let topic = EventTopic.chunksCreated

    /// Document id and version, a valid batch position, and chunk ids and spans.
    public func validatePayload() throws(EventDecodingError) {
        try require(!documentID.isEmpty, in: Self.self, "document_id is empty")
        try require(documentVersion >= 1, in: Self.self, "document_version is 0; versions start at 1")
        try requireBatch(index: batchIndex, count: batchCount, in: Self.self)
        for (index, chunk) in chunks.enumerated() {
            try require(!chunk.chunkID.isEmpty, in: Self.self, "chunks[\(index)].chunk_id is empty")
            try require(
                chunk.charStart <= chunk.charEnd,
                in: Self.self,
                "chunks[\(index)] span [\(chunk.charStart), \(chunk.charEnd)) ends before it starts"
            )
        }
    }
}

extension Cairn_V1_ChunksEmbedded: DocumentEvent {
    public static let topic = EventTopic.chunksEmbedded

    /// Document id and version, the model, a valid batch position, and every vector exactly
    /// `dimensions` long (vector-search cannot index anything else).
    public func validatePayload() throws(EventDecodingError) {
        try require(!documentID.isEmpty, in: Self.self, "document_id is empty")
        try require(documentVersion >= 1, in: Self.self, "document_version is 0; versions start at 1")
        try require(!model.isEmpty, in: Self.self, "model is empty")
        try require(dimensions > 0, in: Self.self, "dimensions is 0")
        try requireBatch(index: batchIndex, count: batchCount, in: Self.self)
        for (index, chunk) in chunks.enumerated() {
            try require(!chunk.chunkID.isEmpty, in: Self.self, "chunks[\(index)].chunk_id is empty")
            try require(
                chunk.vector.count == Int(dimensions),
                in: Self.self,
                "chunks[\(index)].vector has \(chunk.vector.count) values, dimensions is \(dimensions)"
            )
        }
    }
}
