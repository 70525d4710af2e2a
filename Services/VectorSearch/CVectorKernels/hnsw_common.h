// Internal layout shared by both builds of the kernels (not part of the module's interface).
#pragma once
#include "vector_kernels.h"
#include "cairn_float16.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define VS_READY 1u
#define VS_DELETED 2u
#define VS_MAX_LEVEL 16
/// Unfiltered exact scans of at least this many floats (16 MB) are split over two threads.
#define VS_SPLIT_SCAN_FLOATS ((size_t)4 << 20)
#ifndef VS_AHEAD
#define VS_AHEAD 4
#endif

struct vs_hnsw {
    size_t dim, m, m0, ef_construction;
    double level_mult;
    uint64_t seed;
    /// Guards growth (writers) against every other access (readers).
    pthread_rwlock_t grow;
    /// Serialises id hand-out.
    pthread_mutex_t reserve;
    /// Guards the entry point and the top level.
    pthread_mutex_t entry_lock;
    int64_t entry;      // -1 while empty
    int max_level;
    size_t capacity;
    _Atomic size_t next;
    _Atomic size_t deleted;
    float *vectors;              // capacity × dim: exact scans and the final re-ranking
    uint16_t *halves;            // capacity × dim: the same as float16, what the graph walk reads
    uint32_t *links0;            // capacity × (m0 + 1): count, then ids
    uint32_t **upper;            // per node: level × (m + 1), or NULL
    uint8_t *levels;
    _Atomic uint8_t *flags;
    _Atomic uint32_t *seq;       // per-node sequence lock over its neighbour lists
};

typedef struct { float d; uint32_t id; } vs_pair;

static inline void vs_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/// Scratch of one thread: visited tags, two heaps and neighbour copies.
typedef struct {
    uint16_t *tags; size_t tag_cap; uint16_t epoch;
    vs_pair *cand; size_t cand_cap;
    vs_pair *res; size_t res_cap;
    vs_pair *tmp; size_t tmp_cap;
} vs_scratch;

vs_scratch *vs_thread_scratch(size_t nodes, size_t heap);

static inline uint32_t *vs_links(const struct vs_hnsw *h, uint32_t id, int level) {
    return level == 0 ? h->links0 + (size_t)id * (h->m0 + 1) : h->upper[id] + (size_t)(level - 1) * (h->m + 1);
}

static inline void vs_node_lock(struct vs_hnsw *h, uint32_t id) {
    for (;;) {
        uint32_t s = atomic_load_explicit(&h->seq[id], memory_order_relaxed);
        if (!(s & 1) && atomic_compare_exchange_weak_explicit(&h->seq[id], &s, s + 1, memory_order_acquire, memory_order_relaxed))
            return;
        vs_pause();
    }
}

static inline void vs_node_unlock(struct vs_hnsw *h, uint32_t id) {
    atomic_fetch_add_explicit(&h->seq[id], 1, memory_order_release);
}

/// Copies node `id`'s neighbour list at `level` into `out` (count first) consistently.
static inline uint32_t vs_read_links(struct vs_hnsw *h, uint32_t id, int level, uint32_t *out) {
    size_t width = level == 0 ? h->m0 : h->m;
    for (;;) {
        uint32_t s1 = atomic_load_explicit(&h->seq[id], memory_order_acquire);
        if (s1 & 1) { vs_pause(); continue; }
        const uint32_t *src = vs_links(h, id, level);
        uint32_t n = src[0];
        if (n > width) n = (uint32_t)width;
        memcpy(out, src + 1, n * sizeof(uint32_t));
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(&h->seq[id], memory_order_relaxed) == s1) return n;
    }
}

/// Writes the float16 copy of rows [first, first + count) from their float vectors.
static inline void vs_store_halves(struct vs_hnsw *h, size_t first, size_t count) {
    for (size_t i = first * h->dim; i < (first + count) * h->dim; i++) h->halves[i] = cairn_half_from_float(h->vectors[i]);
}

/// Starts fetching node `id`'s float16 row: every cache line it touches (rows need not start one).
static inline void vs_prefetch_half_row(const struct vs_hnsw *h, uint32_t id) {
    const char *row = (const char *)(h->halves + (size_t)id * h->dim);
    size_t bytes = h->dim * sizeof(uint16_t);
    for (size_t off = 0; off < bytes; off += 64) __builtin_prefetch(row + off);
    __builtin_prefetch(row + bytes - 1);
}

/// Whether `id`'s insertion has finished (all its levels linked); deleted nodes count.
static inline int vs_linked(const struct vs_hnsw *h, uint32_t id) {
    return (atomic_load_explicit(&h->flags[id], memory_order_acquire) & VS_READY) != 0;
}

static inline int vs_accept(const struct vs_hnsw *h, uint32_t id, const uint64_t *allowed, size_t allowed_bits) {
    if (atomic_load_explicit(&h->flags[id], memory_order_acquire) != VS_READY) return 0;
    return allowed == NULL || (id < allowed_bits && ((allowed[id >> 6] >> (id & 63)) & 1));
}

// Binary heaps of (distance, id). "min" pops the smallest distance; "max" the largest.
static inline void vs_heap_push(vs_pair *a, size_t *n, vs_pair x, int max) {
    size_t i = (*n)++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (max ? !(a[p].d < x.d) : !(a[p].d > x.d)) break;
        a[i] = a[p]; i = p;
    }
    a[i] = x;
}

static inline vs_pair vs_heap_pop(vs_pair *a, size_t *n, int max) {
    vs_pair top = a[0];
    vs_pair x = a[--(*n)];
    size_t i = 0, size = *n;
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= size) break;
        size_t c = l;
        if (l + 1 < size && (max ? a[l + 1].d > a[l].d : a[l + 1].d < a[l].d)) c = l + 1;
        if (max ? !(a[c].d > x.d) : !(a[c].d < x.d)) break;
        a[i] = a[c]; i = c;
    }
    if (size > 0) a[i] = x;
    return top;
}
