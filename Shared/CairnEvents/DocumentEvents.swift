import CairnProtos

extension Cairn_V1_DocumentSubmitted: DocumentEvent {
    public static let topic = EventTopic.documentsSubmitted

    /// A document id, a collection, and either inline content (raw or text) of at most
    /// ``EventLimits/maxInlineContentBytes`` or the id of an upload ingestion stored.
    public func validatePayload() throws(EventDecodingError) {
        try require(!documentID.isEmpty, in: Self.self, "document_id is empty")
        try require(!collectionID.isEmpty, in: Self.self, "collection_id is empty")
        let size: Int
        switch content {
        case .raw(let raw)?: size = raw.count
        case .text(let text)?: size = text.utf8.count
        case nil: size = -1
        }
        if !uploadID.isEmpty {
            try require(size < 0, in: Self.self, "sets both inline content and upload_id")
            return
        }
        try require(size >= 0, in: Self.self, "has no content (neither raw, text nor upload_id is set)")
        try require(
            size <= EventLimits.maxInlineContentBytes,
            in: Self.self,
            "content is \(size) bytes, above the \(EventLimits.maxInlineContentBytes)-byte inline limit"
        )
    }
}

extension Cairn_V1_DocumentDeleted: DocumentEvent {
    public static let topic = EventTopic.documentsDeleted

    /// A document id and an explicit scope: one version (≥ 1) or all versions.
    public func validatePayload() throws(EventDecodingError) {
        try require(!documentID.isEmpty, in: Self.self, "document_id is empty")
        switch scope {
        case .version(let version)?:
            try require(version >= 1, in: Self.self, "version is 0; versions start at 1 (use all_versions for all)")
        case .allVersions?:
            break
        case nil:
            throw .invalidPayload(reason: "\(Self.protoMessageName) sets neither version nor all_versions")
        }
    }
}

extension Cairn_V1_DocumentIndexed: DocumentEvent {
    public static let topic = EventTopic.documentsIndexed

    /// A document id and version (≥ 1) and a valid batch position.
    public func validatePayload() throws(EventDecodingError) {
        try require(!documentID.isEmpty, in: Self.self, "document_id is empty")
        try require(documentVersion >= 1, in: Self.self, "document_version is 0; versions start at 1")
        try requireBatch(index: batchIndex, count: batchCount, in: Self.self)
    }
}
