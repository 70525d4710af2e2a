import CVectorKernels

/// An HNSW graph over normalised float32 vectors scored by inner product, in C
/// (`CVectorKernels`: AVX2/FMA kernels with a portable fallback). Slots are dense and handed
/// out by ``reserve(_:)``. Safe for concurrent searches, inserts of distinct reserved slots and
/// deletions (per-node sequence locks inside; growth behind a reader-writer lock).
public final class HNSWGraph: @unchecked Sendable {
    private let graph: OpaquePointer
    public let dimensions: Int
    public let parameters: HNSWParameters

    public init(dimensions: Int, parameters: HNSWParameters, capacity: Int = 1024, seed: UInt64 = 0x5eed) {
        precondition(dimensions > 0)
        self.dimensions = dimensions
        self.parameters = parameters
        graph = vs_hnsw_create(dimensions, parameters.m, parameters.efConstruction, seed, max(capacity, 16))
    }

    deinit { vs_hnsw_destroy(graph) }

    /// Whether the AVX2+FMA build of the kernels is in use.
    public static var isVectorized: Bool { vs_vectorized() != 0 }

    /// Hands out `count` consecutive slots; returns the first.
    public func reserve(_ count: Int) -> Int32 { Int32(vs_hnsw_reserve(graph, count)) }

    /// Stores and links `vector` (exactly `dimensions` values) under the reserved `slot`.
    public func insert(_ vector: [Float], at slot: Int32) {
        precondition(vector.count == dimensions)
        vector.withUnsafeBufferPointer { vs_hnsw_insert(graph, Int64(slot), $0.baseAddress) }
    }

    /// Inserts `vectors` (count × dimensions, contiguous) under first, first + 1, … on
    /// `threads` threads (blocks the caller until done).
    public func insertBatch(_ vectors: UnsafeBufferPointer<Float>, first: Int32, threads: Int) {
        precondition(vectors.count % dimensions == 0)
        vs_hnsw_insert_batch(graph, Int64(first), vectors.baseAddress, vectors.count / dimensions, Int32(threads))
    }

    /// Tombstones `slot`: still used for navigation, never returned.
    public func markDeleted(_ slot: Int32) { vs_hnsw_mark_deleted(graph, Int64(slot)) }

    /// Slots handed out (live, deleted and in flight).
    public var count: Int { vs_hnsw_count(graph) }
    public var deletedCount: Int { vs_hnsw_deleted_count(graph) }
    public var memoryBytes: Int { vs_hnsw_memory_bytes(graph) }

    public func vector(at slot: Int32) -> [Float] {
        [Float](unsafeUninitializedCapacity: dimensions) { buffer, initialized in
            vs_hnsw_copy_vector(graph, Int64(slot), buffer.baseAddress)
            initialized = dimensions
        }
    }

    /// Approximate top-k by inner product (best first); only slots in `allowed` (when given)
    /// are returned.
    public func search(_ query: [Float], k: Int, ef: Int, allowed: Bitset? = nil) -> [ScoredSlot] {
        run(query, k: k, allowed: allowed) { q, ids, scores, words in
            vs_hnsw_search(graph, q, k, ef, words, allowed?.capacity ?? 0, ids, scores)
        }
    }

    /// Exact top-k over every live slot (and `allowed`), scanning all stored vectors.
    public func exactSearch(_ query: [Float], k: Int, allowed: Bitset? = nil) -> [ScoredSlot] {
        run(query, k: k, allowed: allowed) { q, ids, scores, words in
            vs_hnsw_exact(graph, q, k, words, allowed?.capacity ?? 0, ids, scores)
        }
    }

    private func run(
        _ query: [Float], k: Int, allowed: Bitset?,
        _ body: (UnsafePointer<Float>?, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Float>?, UnsafePointer<UInt64>?) -> Int
    ) -> [ScoredSlot] {
        precondition(query.count == dimensions)
        guard k > 0 else { return [] }
        var ids = [Int32](repeating: 0, count: k)
        var scores = [Float](repeating: 0, count: k)
        let found = query.withUnsafeBufferPointer { q in
            ids.withUnsafeMutableBufferPointer { i in
                scores.withUnsafeMutableBufferPointer { s in
                    if let allowed {
                        return allowed.words.withUnsafeBufferPointer { body(q.baseAddress, i.baseAddress, s.baseAddress, $0.baseAddress) }
                    }
                    return body(q.baseAddress, i.baseAddress, s.baseAddress, nil)
                }
            }
        }
        return (0..<found).map { ScoredSlot(slot: ids[$0], score: scores[$0]) }
    }
}

/// Exact top-k by inner product over a plain row-major matrix (ground truth, benchmarks), on
/// `threads` threads.
public func exactTopK(_ query: UnsafeBufferPointer<Float>, base: UnsafeBufferPointer<Float>, dimensions: Int, k: Int, threads: Int = 1) -> [ScoredSlot] {
    var ids = [Int32](repeating: 0, count: k)
    var scores = [Float](repeating: 0, count: k)
    let rows = base.count / dimensions
    let found = threads > 1
        ? vs_scan_topk_threads(query.baseAddress, base.baseAddress, rows, dimensions, k, nil, 0, Int32(threads), &ids, &scores)
        : vs_scan_topk(query.baseAddress, base.baseAddress, rows, dimensions, k, nil, 0, &ids, &scores)
    return (0..<found).map { ScoredSlot(slot: ids[$0], score: scores[$0]) }
}
