import Foundation

/// How a collection's indexes are searched and built.
public struct IndexSettings: Sendable, Equatable {
    public var hnsw: HNSWParameters
    /// Collections with at most this many live chunks are searched exactly (no graph walk).
    public var exactBelow: Int
    /// A filter matching at most this many chunks is searched exactly over just those.
    public var filteredExactBelow: Int
    /// Threads used to build a graph from many vectors at once (start-up, rebuilds).
    public var buildThreads: Int
    /// A graph whose tombstones exceed this share of its nodes is rebuilt without them.
    public var rebuildDeletedRatio: Double

    public init(
        hnsw: HNSWParameters = HNSWParameters(), exactBelow: Int = 2_000, filteredExactBelow: Int = 20_000,
        buildThreads: Int = 2, rebuildDeletedRatio: Double = 0.2
    ) {
        self.hnsw = hnsw
        self.exactBelow = exactBelow
        self.filteredExactBelow = filteredExactBelow
        self.buildThreads = buildThreads
        self.rebuildDeletedRatio = rebuildDeletedRatio
    }
}

/// A search hit resolved to its chunk.
public struct IndexHit: Sendable, Equatable {
    public var record: ChunkRecord
    public var score: Float
}

/// Sizes of one collection's index.
public struct CollectionIndexStats: Sendable, Equatable {
    public var chunks: Int
    public var graphNodes: Int
    public var tombstones: Int
    public var dimensions: Int
    public var memoryBytes: Int
    public var terms: Int
}

/// The in-memory indexes of one (tenant, collection): the HNSW graph (and exact scan) over the
/// vectors, BM25 over the text, and the chunk records by slot. A chunk lives in one slot;
/// replacing or deleting it tombstones the slot (never returned again) until a rebuild
/// compacts the graph.
///
/// Searches run concurrently with each other and with one writer; writers are serialised by
/// the caller (``IndexRegistry``). A new slot's vector is linked into the graph first, then
/// its record, BM25 terms and chunk-id mapping change in one short write-locked step; until then
/// searches still see the previous version of the chunk.
public final class CollectionIndex: @unchecked Sendable {
    public let dimensions: Int
    public let settings: IndexSettings
    private let graph: HNSWGraph
    private let analyzer = TextAnalyzer()
    private let lock = ReadWriteLock()
    // Guarded by `lock`.
    private var records: [ChunkRecord?] = []
    private var slotsByChunk: [String: Int32] = [:]
    private var bm25 = BM25Index()

    public init(dimensions: Int, settings: IndexSettings, capacity: Int = 1024) {
        self.dimensions = dimensions
        self.settings = settings
        graph = HNSWGraph(dimensions: dimensions, parameters: settings.hnsw, capacity: capacity)
    }

    /// Inserts or replaces chunks by chunk id (the last of duplicates in `chunks` wins). A chunk
    /// whose record and vector are unchanged is left alone, so a redelivered batch costs nothing.
    /// Returns how many chunks changed. Vectors must have `dimensions` values.
    @discardableResult
    public func upsert(_ chunks: [IndexedChunk]) -> Int {
        var latest: [String: Int] = [:]
        for (index, chunk) in chunks.enumerated() {
            precondition(chunk.vector.count == dimensions, "vector of \(chunk.vector.count) values in a \(dimensions)-d index")
            latest[chunk.record.chunkID] = index
        }
        let existing = lock.withReadLock { latest.keys.compactMap { id in slotsByChunk[id].map { (id, $0) } } }
        var unchanged = Set<String>()
        for (id, slot) in existing {
            let chunk = chunks[latest[id]!]
            let same = lock.withReadLock { records[Int(slot)] == chunk.record }
            if same && graph.vector(at: slot) == chunk.vector { unchanged.insert(id) }
        }
        let fresh = chunks.enumerated()
            .filter { latest[$0.element.record.chunkID] == $0.offset && !unchanged.contains($0.element.record.chunkID) }
            .map(\.element)
        guard !fresh.isEmpty else { return 0 }
        let first = graph.reserve(fresh.count)
        if fresh.count >= 512 && settings.buildThreads > 1 {
            var flat = [Float]()
            flat.reserveCapacity(fresh.count * dimensions)
            for chunk in fresh { flat.append(contentsOf: chunk.vector) }
            flat.withUnsafeBufferPointer { graph.insertBatch($0, first: first, threads: settings.buildThreads) }
        } else {
            for (offset, chunk) in fresh.enumerated() { graph.insert(chunk.vector, at: first + Int32(offset)) }
        }
        let terms = fresh.map { analyzer.terms($0.record.title.isEmpty ? $0.record.text : $0.record.title + "\n" + $0.record.text) }
        lock.withWriteLock {
            let needed = Int(first) + fresh.count
            if records.count < needed { records.append(contentsOf: repeatElement(nil, count: needed - records.count)) }
            for (offset, chunk) in fresh.enumerated() {
                let slot = first + Int32(offset)
                records[Int(slot)] = chunk.record
                bm25.add(slot: slot, terms: terms[offset])
                if let old = slotsByChunk.updateValue(slot, forKey: chunk.record.chunkID) { retire(old) }
            }
        }
        return fresh.count
    }

    /// Removes chunks by id; returns how many were present.
    @discardableResult
    public func remove(chunkIDs: some Sequence<String>) -> Int {
        lock.withWriteLock {
            var removed = 0
            for id in chunkIDs {
                if let slot = slotsByChunk.removeValue(forKey: id) { retire(slot); removed += 1 }
            }
            return removed
        }
    }

    /// Removes the chunks of one version of a document, or of all its versions (`version` nil).
    @discardableResult
    public func remove(documentID: String, version: Int?) -> Int {
        lock.withWriteLock {
            var removed = 0
            for (id, slot) in slotsByChunk {
                guard let record = records[Int(slot)], record.documentID == documentID,
                      version == nil || record.documentVersion == version else { continue }
                slotsByChunk[id] = nil
                retire(slot)
                removed += 1
            }
            return removed
        }
    }

    /// Must hold the write lock.
    private func retire(_ slot: Int32) {
        records[Int(slot)] = nil
        bm25.remove(slot: slot)
        graph.markDeleted(slot)
    }

    public var count: Int { lock.withReadLock { slotsByChunk.count } }

    public func contains(chunkID: String) -> Bool { lock.withReadLock { slotsByChunk[chunkID] != nil } }

    public func record(chunkID: String) -> ChunkRecord? {
        lock.withReadLock { slotsByChunk[chunkID].flatMap { records[Int($0)] } }
    }

    /// Chunk counts by (document id, version).
    public func chunkCount(documentID: String, version: Int) -> Int {
        lock.withReadLock { records.lazy.filter { $0?.documentID == documentID && $0?.documentVersion == version }.count }
    }

    public var stats: CollectionIndexStats {
        let (chunks, terms, recordBytes) = lock.withReadLock {
            (slotsByChunk.count, bm25.postings.count,
             records.reduce(0) { $0 + ($1.map { $0.text.utf8.count + $0.title.utf8.count + 160 } ?? 8) })
        }
        return CollectionIndexStats(
            chunks: chunks, graphNodes: graph.count, tombstones: graph.deletedCount, dimensions: dimensions,
            memoryBytes: graph.memoryBytes + recordBytes, terms: terms
        )
    }

    /// Whether tombstones have piled up enough for ``compacted()`` to pay.
    public var needsRebuild: Bool {
        let nodes = graph.count
        return nodes >= 64 && Double(graph.deletedCount) > settings.rebuildDeletedRatio * Double(nodes)
    }

    /// Every live chunk with its vector, in slot order.
    public func liveChunks() -> [IndexedChunk] {
        let live: [(Int32, ChunkRecord)] = lock.withReadLock {
            records.enumerated().compactMap { slot, record in record.map { (Int32(slot), $0) } }
        }
        return live.map { IndexedChunk(record: $0.1, vector: graph.vector(at: $0.0)) }
    }

    /// A new index holding this one's live chunks, built afresh (no tombstones).
    public func compacted() -> CollectionIndex {
        let chunks = liveChunks()
        let index = CollectionIndex(dimensions: dimensions, settings: settings, capacity: max(chunks.count, 16))
        index.upsert(chunks)
        return index
    }

    // MARK: - Search

    /// The `k` chunks nearest `query` (inner product) among those `filter` lets through.
    /// The filter is applied inside the search: a graph walk that only collects matching chunks,
    /// or an exact scan over just the matches when they are few or the walk found fewer than
    /// `k`. `ef` defaults to the settings' efSearch.
    public func vectorSearch(_ query: [Float], k: Int, ef: Int? = nil, filter: SearchFilter = SearchFilter()) -> [IndexHit] {
        precondition(query.count == dimensions)
        guard k > 0 else { return [] }
        let ef = max(ef ?? settings.hnsw.efSearch, k)
        var slots: [ScoredSlot]
        if filter.isEmpty {
            let live = count
            slots = live <= settings.exactBelow ? graph.exactSearch(query, k: k) : graph.search(query, k: k, ef: ef)
        } else {
            let allowed = allowedSlots(filter)
            if allowed.count == 0 { return [] }
            if allowed.count <= settings.filteredExactBelow {
                slots = graph.exactSearch(query, k: k, allowed: allowed)
            } else {
                slots = graph.search(query, k: k, ef: ef, allowed: allowed)
                if slots.count < min(k, allowed.count) { slots = graph.exactSearch(query, k: k, allowed: allowed) }
            }
        }
        return resolve(slots)
    }

    /// Exact top-k over the live chunks that `filter` lets through (the ground truth).
    public func exactSearch(_ query: [Float], k: Int, filter: SearchFilter = SearchFilter()) -> [IndexHit] {
        let allowed = filter.isEmpty ? nil : allowedSlots(filter)
        return resolve(graph.exactSearch(query, k: k, allowed: allowed))
    }

    /// BM25 top-k of `queryTerms` (already analysed) among the chunks `filter` lets through.
    public func lexicalSearch(_ queryTerms: [String], k: Int, filter: SearchFilter = SearchFilter()) -> [IndexHit] {
        lock.withReadLock {
            bm25.search(queryTerms, k: k) { slot in
                guard let record = records[Int(slot)] else { return false }
                return filter.isEmpty || filter.matches(record)
            }.compactMap { hit in records[Int(hit.slot)].map { IndexHit(record: $0, score: hit.score) } }
        }
    }

    private func allowedSlots(_ filter: SearchFilter) -> Bitset {
        lock.withReadLock {
            var bits = Bitset(capacity: records.count)
            for (slot, record) in records.enumerated() {
                if let record, filter.matches(record) { bits.insert(slot) }
            }
            return bits
        }
    }

    private func resolve(_ slots: [ScoredSlot]) -> [IndexHit] {
        lock.withReadLock {
            slots.compactMap { hit in
                Int(hit.slot) < records.count ? records[Int(hit.slot)].map { IndexHit(record: $0, score: hit.score) } : nil
            }
        }
    }
}
