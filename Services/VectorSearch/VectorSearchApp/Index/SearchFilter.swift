import Foundation

/// Metadata conditions a hit must meet, all of them (an absent one is no condition). The
/// collection is chosen before (see ``IndexRegistry``).
public struct SearchFilter: Sendable, Equatable {
    public var documentIDs: Set<String>?
    public var category: String?
    /// At least one of these tags.
    public var tagsAny: Set<String>?
    /// Every one of these tags.
    public var tagsAll: Set<String>?
    /// Inclusive bounds on the document date; a chunk without a date fails a date condition.
    public var dateFrom: Date?
    public var dateTo: Date?
    public var source: String?

    public init(
        documentIDs: Set<String>? = nil, category: String? = nil, tagsAny: Set<String>? = nil, tagsAll: Set<String>? = nil,
        dateFrom: Date? = nil, dateTo: Date? = nil, source: String? = nil
    ) {
        self.documentIDs = documentIDs
        self.category = category
        self.tagsAny = tagsAny.map { Set($0.map { $0.lowercased() }) }
        self.tagsAll = tagsAll.map { Set($0.map { $0.lowercased() }) }
        self.dateFrom = dateFrom
        self.dateTo = dateTo
        self.source = source
    }

    public var isEmpty: Bool {
        documentIDs == nil && category == nil && tagsAny == nil && tagsAll == nil && dateFrom == nil && dateTo == nil && source == nil
    }

    public func matches(_ record: ChunkRecord) -> Bool {
        if let documentIDs, !documentIDs.contains(record.documentID) { return false }
        if let category, record.category != category { return false }
        if let tagsAny, !record.tags.contains(where: tagsAny.contains) { return false }
        if let tagsAll, !tagsAll.allSatisfy(record.tags.contains) { return false }
        if dateFrom != nil || dateTo != nil {
            guard let date = record.date else { return false }
            if let dateFrom, date < dateFrom { return false }
            if let dateTo, date > dateTo { return false }
        }
        if let source, record.source != source { return false }
        return true
    }
}
