import Foundation

/// What the index keeps about one chunk besides its vector: enough to filter, to answer
/// without a database round trip, and to find it again by document version.
public struct ChunkRecord: Sendable, Equatable {
    public var chunkID: String
    public var documentID: String
    public var documentVersion: Int
    public var ordinal: Int
    public var text: String
    public var title: String
    public var category: String?
    /// Lower-cased, distinct, in the order given.
    public var tags: [String]
    public var source: String?
    public var page: Int?
    /// The document's own date (metadata `date`, `published_at` or `created_at`), for range filters.
    public var date: Date?

    public init(
        chunkID: String, documentID: String, documentVersion: Int, ordinal: Int = 0, text: String, title: String = "",
        category: String? = nil, tags: [String] = [], source: String? = nil, page: Int? = nil, date: Date? = nil
    ) {
        self.chunkID = chunkID
        self.documentID = documentID
        self.documentVersion = documentVersion
        self.ordinal = ordinal
        self.text = text
        self.title = title
        self.category = category
        var seen = Set<String>()
        self.tags = tags.map { $0.lowercased() }.filter { seen.insert($0).inserted }
        self.source = source
        self.page = page
        self.date = date
    }
}

/// A chunk to index: its record and its vector (normalised, the collection's dimensions).
public struct IndexedChunk: Sendable, Equatable {
    public var record: ChunkRecord
    public var vector: [Float]

    public init(record: ChunkRecord, vector: [Float]) {
        self.record = record
        self.vector = vector
    }
}
