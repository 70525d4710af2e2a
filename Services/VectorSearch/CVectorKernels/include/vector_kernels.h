// Vector-search kernels: inner products, the exact top-k scan and an HNSW graph (Malkov &
// Yashunin) over normalised float32 vectors. Scores are inner products (cosine on unit vectors);
// higher is closer. Every entry point is compiled twice (AVX2+FMA and portable), picked by CPU.
#pragma once
#include <stddef.h>
#include <stdint.h>

/// 1 when the AVX2+FMA build is in use.
int vs_vectorized(void);

/// Inner product of two `d`-float vectors.
float vs_dot(const float *a, const float *b, size_t d);

/// The `k` rows of `base` (`n` rows of `d` floats) with the highest inner product with `q`, best
/// first. A row i takes part only if `allowed` is NULL or has bit i set (bit i&63 of word i>>6,
/// i < allowed_bits).
/// Returns how many were found (≤ k).
size_t vs_scan_topk(const float *q, const float *base, size_t n, size_t d, size_t k,
                    const uint64_t *allowed, size_t allowed_bits, int32_t *out_ids, float *out_scores);

/// The same scan split over `threads` threads (each takes a contiguous share of the rows; the
/// per-thread top-k are merged). Worth it only for large scans: starting threads costs ~50 µs.
size_t vs_scan_topk_threads(const float *q, const float *base, size_t n, size_t d, size_t k,
                            const uint64_t *allowed, size_t allowed_bits, int threads,
                            int32_t *out_ids, float *out_scores);

/// An HNSW graph. Ids are dense (0, 1, 2, …) and handed out by `vs_hnsw_reserve`.
/// Concurrency: any number of threads may search, insert (distinct reserved ids) and mark
/// deletions at once; neighbour lists are guarded by per-node sequence locks (readers never
/// write shared memory) and growth by a reader-writer lock.
typedef struct vs_hnsw vs_hnsw;

vs_hnsw *vs_hnsw_create(size_t dim, size_t m, size_t ef_construction, uint64_t seed, size_t capacity);
void vs_hnsw_destroy(vs_hnsw *h);

/// Hands out `count` consecutive ids (growing storage as needed) and returns the first.
int64_t vs_hnsw_reserve(vs_hnsw *h, size_t count);

/// Stores `vector` (dim floats, normalised) under reserved id `id` and links it into the graph.
void vs_hnsw_insert(vs_hnsw *h, int64_t id, const float *vector);

/// Inserts `count` vectors (contiguous) under ids first, first+1, … using `threads` threads.
void vs_hnsw_insert_batch(vs_hnsw *h, int64_t first, const float *vectors, size_t count, int threads);

/// Tombstones `id`: it stays in the graph for navigation but is never returned.
void vs_hnsw_mark_deleted(vs_hnsw *h, int64_t id);

/// Ids handed out so far (live, deleted or still being inserted).
size_t vs_hnsw_count(vs_hnsw *h);
size_t vs_hnsw_deleted_count(vs_hnsw *h);
size_t vs_hnsw_memory_bytes(vs_hnsw *h);

/// Copies the vector stored under `id` into `out` (dim floats).
void vs_hnsw_copy_vector(vs_hnsw *h, int64_t id, float *out);

/// Approximate top-k: beam width max(ef, k) at the base layer; only live ids whose bit is set in
/// `allowed` (when not NULL; ids ≥ allowed_bits are excluded) are returned, but every node is
/// used for navigation. Best first.
size_t vs_hnsw_search(vs_hnsw *h, const float *q, size_t k, size_t ef, const uint64_t *allowed,
                      size_t allowed_bits, int32_t *out_ids, float *out_scores);

/// Exact top-k over the live ids (and `allowed`), scanning every stored vector (one thread).
size_t vs_hnsw_exact(vs_hnsw *h, const float *q, size_t k, const uint64_t *allowed,
                     size_t allowed_bits, int32_t *out_ids, float *out_scores);

/// Writes the graph to `path` (a snapshot: vectors, levels, flags, links). Returns 0 on success.
/// Call while no insert is running.
int vs_hnsw_save(vs_hnsw *h, const char *path);

/// Reads a snapshot written by `vs_hnsw_save`; NULL if the file is missing, truncated or of
/// another format.
vs_hnsw *vs_hnsw_load(const char *path);
