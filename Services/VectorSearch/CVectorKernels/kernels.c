// Two builds of the same kernels (kernels_impl.inc): AVX2+FMA for the machines we run on, and a
// portable one; the first call picks by CPU. Storage, growth and threads are shared below.
#include "hnsw_common.h"
#include <float.h>
#include <math.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define VS_F16C 1
#endif

static void vs_grow_candidates(vs_scratch *s);

#define KERNEL(name) name##_avx2
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#include "kernels_impl.inc"
#pragma clang attribute pop
#undef VS_F16C
#undef KERNEL

#define KERNEL(name) name##_portable
#include "kernels_impl.inc"
#undef KERNEL

static int use_avx2 = -1;

static inline int avx2(void) {
    if (__builtin_expect(use_avx2 < 0, 0)) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_cpu_init();
        use_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
                   && __builtin_cpu_supports("f16c");
#else
        use_avx2 = 0;
#endif
    }
    return use_avx2;
}

int vs_vectorized(void) { return avx2(); }

float vs_dot(const float *a, const float *b, size_t d) {
    return avx2() ? dot_avx2(a, b, d) : dot_portable(a, b, d);
}

static _Thread_local vs_scratch scratch;

static void *vs_realloc(void *p, size_t bytes) {
    void *q = realloc(p, bytes);
    if (!q && bytes) abort();
    return q;
}

static void vs_grow_candidates(vs_scratch *s) {
    s->cand_cap = s->cand_cap * 2 + 64;
    s->cand = vs_realloc(s->cand, s->cand_cap * sizeof(vs_pair));
}

vs_scratch *vs_thread_scratch(size_t nodes, size_t heap) {
    vs_scratch *s = &scratch;
    if (s->tag_cap < nodes) {
        free(s->tags);
        s->tags = calloc(nodes, sizeof(uint16_t));
        if (!s->tags) abort();
        s->tag_cap = nodes;
        s->epoch = 0;
    }
    if (s->cand_cap < heap * 2) { s->cand_cap = heap * 2; s->cand = vs_realloc(s->cand, s->cand_cap * sizeof(vs_pair)); }
    if (s->res_cap < heap + 1) { s->res_cap = heap + 1; s->res = vs_realloc(s->res, s->res_cap * sizeof(vs_pair)); }
    if (s->tmp_cap < heap + 1) { s->tmp_cap = heap + 1; s->tmp = vs_realloc(s->tmp, s->tmp_cap * sizeof(vs_pair)); }
    return s;
}

size_t vs_scan_topk(const float *q, const float *base, size_t n, size_t d, size_t k,
                    const uint64_t *allowed, size_t allowed_bits, int32_t *out_ids, float *out_scores) {
    if (k == 0) return 0;
    vs_pair *heap = malloc((k + 1) * sizeof(vs_pair));
    if (!heap) abort();
    size_t found = avx2() ? scan_topk_avx2(q, base, n, d, k, NULL, allowed, allowed_bits, out_ids, out_scores, heap)
                          : scan_topk_portable(q, base, n, d, k, NULL, allowed, allowed_bits, out_ids, out_scores, heap);
    free(heap);
    return found;
}

typedef struct {
    const float *q, *base; size_t first, count, d, k; const _Atomic uint8_t *flags; const uint64_t *allowed; size_t allowed_bits;
    int32_t *ids; float *scores; size_t found;
} vs_scan_part;

static void *vs_scan_worker(void *arg) {
    vs_scan_part *p = arg;
    vs_pair *heap = malloc((p->k + 1) * sizeof(vs_pair));
    if (!heap) abort();
    // Each part scans rows [first, first + count): shift the base and the masks' origin.
    size_t bits = p->allowed ? (p->allowed_bits > p->first ? p->allowed_bits - p->first : 0) : 0;
    const float *base = p->base + p->first * p->d;
    // `allowed` is word-indexed from row 0: parts start on multiples of 64 rows.
    const uint64_t *allowed = p->allowed ? p->allowed + p->first / 64 : NULL;
    const _Atomic uint8_t *flags = p->flags ? p->flags + p->first : NULL;
    p->found = avx2() ? scan_topk_avx2(p->q, base, p->count, p->d, p->k, flags, allowed, bits, p->ids, p->scores, heap)
                      : scan_topk_portable(p->q, base, p->count, p->d, p->k, flags, allowed, bits, p->ids, p->scores, heap);
    for (size_t i = 0; i < p->found; i++) p->ids[i] += (int32_t)p->first;
    free(heap);
    return NULL;
}

/// Splits rows [0, n) into `threads` parts (multiples of 64 rows), scans them concurrently and
/// merges the parts' best-first lists.
static size_t vs_scan_split(const float *q, const float *base, size_t n, size_t d, size_t k, const _Atomic uint8_t *flags,
                            const uint64_t *allowed, size_t allowed_bits, int threads, int32_t *out_ids, float *out_scores) {
    if (threads > 8) threads = 8;
    if (threads < 1) threads = 1;
    vs_scan_part parts[8];
    size_t share = ((n + (size_t)threads - 1) / (size_t)threads + 63) / 64 * 64;
    int used = 0;
    for (int t = 0; t < threads; t++) {
        size_t first = (size_t)t * share;
        if (first >= n) break;
        size_t count = n - first < share ? n - first : share;
        parts[used] = (vs_scan_part){ q, base, first, count, d, k, flags, allowed, allowed_bits,
                                      malloc(k * sizeof(int32_t)), malloc(k * sizeof(float)), 0 };
        if (!parts[used].ids || !parts[used].scores) abort();
        used++;
    }
    pthread_t tids[8];
    int started[8] = { 0 };
    for (int t = 1; t < used; t++) started[t] = pthread_create(&tids[t], NULL, vs_scan_worker, &parts[t]) == 0;
    if (used > 0) vs_scan_worker(&parts[0]);
    for (int t = 1; t < used; t++) { if (started[t]) pthread_join(tids[t], NULL); else vs_scan_worker(&parts[t]); }
    size_t pos[8] = { 0 }, found = 0;
    while (found < k) {
        int best = -1;
        for (int t = 0; t < used; t++)
            if (pos[t] < parts[t].found && (best < 0 || parts[t].scores[pos[t]] > parts[best].scores[pos[best]])) best = t;
        if (best < 0) break;
        out_ids[found] = parts[best].ids[pos[best]];
        out_scores[found] = parts[best].scores[pos[best]];
        pos[best]++; found++;
    }
    for (int t = 0; t < used; t++) { free(parts[t].ids); free(parts[t].scores); }
    return found;
}

size_t vs_scan_topk_threads(const float *q, const float *base, size_t n, size_t d, size_t k,
                            const uint64_t *allowed, size_t allowed_bits, int threads,
                            int32_t *out_ids, float *out_scores) {
    if (k == 0) return 0;
    return vs_scan_split(q, base, n, d, k, NULL, allowed, allowed_bits, threads, out_ids, out_scores);
}

static void vs_resize(vs_hnsw *h, size_t capacity) {
    size_t old = h->capacity;
    h->vectors = vs_realloc(h->vectors, capacity * h->dim * sizeof(float));
    h->halves = vs_realloc(h->halves, capacity * h->dim * sizeof(uint16_t));
    h->links0 = vs_realloc(h->links0, capacity * (h->m0 + 1) * sizeof(uint32_t));
    memset(h->links0 + old * (h->m0 + 1), 0, (capacity - old) * (h->m0 + 1) * sizeof(uint32_t));
    h->upper = vs_realloc(h->upper, capacity * sizeof(uint32_t *));
    memset(h->upper + old, 0, (capacity - old) * sizeof(uint32_t *));
    h->levels = vs_realloc(h->levels, capacity);
    memset(h->levels + old, 0, capacity - old);
    h->flags = vs_realloc((void *)h->flags, capacity);
    memset((void *)(h->flags + old), 0, capacity - old);
    h->seq = vs_realloc((void *)h->seq, capacity * sizeof(uint32_t));
    memset((void *)(h->seq + old), 0, (capacity - old) * sizeof(uint32_t));
    h->capacity = capacity;
}

vs_hnsw *vs_hnsw_create(size_t dim, size_t m, size_t ef_construction, uint64_t seed, size_t capacity) {
    if (m < 2) m = 2;
    if (m > 128) m = 128;
    vs_hnsw *h = calloc(1, sizeof(vs_hnsw));
    if (!h) abort();
    h->dim = dim; h->m = m; h->m0 = 2 * m;
    h->ef_construction = ef_construction < m ? m : ef_construction;
    h->level_mult = 1.0 / log((double)m);
    h->seed = seed;
    h->entry = -1; h->max_level = -1;
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
#ifdef __GLIBC__
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    pthread_rwlock_init(&h->grow, &attr);
    pthread_rwlockattr_destroy(&attr);
    pthread_mutex_init(&h->reserve, NULL);
    pthread_mutex_init(&h->entry_lock, NULL);
    vs_resize(h, capacity < 16 ? 16 : capacity);
    return h;
}

void vs_hnsw_destroy(vs_hnsw *h) {
    if (!h) return;
    size_t n = atomic_load(&h->next);
    for (size_t i = 0; i < n; i++) free(h->upper[i]);
    free(h->vectors); free(h->halves); free(h->links0); free(h->upper); free(h->levels);
    free((void *)h->flags); free((void *)h->seq);
    pthread_rwlock_destroy(&h->grow);
    pthread_mutex_destroy(&h->reserve);
    pthread_mutex_destroy(&h->entry_lock);
    free(h);
}

int64_t vs_hnsw_reserve(vs_hnsw *h, size_t count) {
    pthread_mutex_lock(&h->reserve);
    size_t first = atomic_load(&h->next);
    size_t end = first + count;
    if (end > h->capacity) {
        size_t capacity = h->capacity * 2;
        if (capacity < end) capacity = end;
        pthread_rwlock_wrlock(&h->grow);
        vs_resize(h, capacity);
        pthread_rwlock_unlock(&h->grow);
    }
    atomic_store(&h->next, end);
    pthread_mutex_unlock(&h->reserve);
    return (int64_t)first;
}

static int vs_level(const vs_hnsw *h, uint64_t id) {
    // splitmix64 of (seed, id): the same graph for the same insertion order.
    uint64_t z = h->seed + (id + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    double u = ((double)(z >> 11) + 1.0) / 9007199254740993.0;  // (0, 1]
    int level = (int)(-log(u) * h->level_mult);
    return level > VS_MAX_LEVEL ? VS_MAX_LEVEL : level;
}

void vs_hnsw_insert(vs_hnsw *h, int64_t id, const float *vector) {
    pthread_rwlock_rdlock(&h->grow);
    int level = vs_level(h, (uint64_t)id);
    if (avx2()) insert_avx2(h, (uint32_t)id, vector, level); else insert_portable(h, (uint32_t)id, vector, level);
    pthread_rwlock_unlock(&h->grow);
}

typedef struct { vs_hnsw *h; int64_t first; const float *vectors; size_t count; _Atomic size_t next; } vs_batch;

static void *vs_batch_worker(void *arg) {
    vs_batch *b = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->count) break;
        vs_hnsw_insert(b->h, b->first + (int64_t)i, b->vectors + i * b->h->dim);
    }
    return NULL;
}

void vs_hnsw_insert_batch(vs_hnsw *h, int64_t first, const float *vectors, size_t count, int threads) {
    vs_batch b = { h, first, vectors, count, 0 };
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    // Insert the first few alone so the parallel part starts from a connected graph.
    size_t head = count < 64 ? count : 64;
    for (size_t i = 0; i < head; i++) vs_hnsw_insert(h, first + (int64_t)i, vectors + i * h->dim);
    atomic_store(&b.next, head);
    pthread_t tids[64];
    int started = 0;
    for (int t = 1; t < threads; t++) if (pthread_create(&tids[started], NULL, vs_batch_worker, &b) == 0) started++;
    vs_batch_worker(&b);
    for (int t = 0; t < started; t++) pthread_join(tids[t], NULL);
}

void vs_hnsw_mark_deleted(vs_hnsw *h, int64_t id) {
    pthread_rwlock_rdlock(&h->grow);
    if ((size_t)id < atomic_load(&h->next)) {
        uint8_t old = atomic_fetch_or(&h->flags[id], VS_DELETED);
        if (!(old & VS_DELETED)) atomic_fetch_add(&h->deleted, 1);
    }
    pthread_rwlock_unlock(&h->grow);
}

size_t vs_hnsw_count(vs_hnsw *h) { return atomic_load(&h->next); }
size_t vs_hnsw_deleted_count(vs_hnsw *h) { return atomic_load(&h->deleted); }

size_t vs_hnsw_memory_bytes(vs_hnsw *h) {
    pthread_rwlock_rdlock(&h->grow);
    size_t bytes = h->capacity * (h->dim * (sizeof(float) + sizeof(uint16_t)) + (h->m0 + 1) * sizeof(uint32_t) + sizeof(void *) + 2 + sizeof(uint32_t));
    size_t n = atomic_load(&h->next);
    for (size_t i = 0; i < n; i++) bytes += (size_t)h->levels[i] * (h->m + 1) * sizeof(uint32_t);
    pthread_rwlock_unlock(&h->grow);
    return bytes;
}

void vs_hnsw_copy_vector(vs_hnsw *h, int64_t id, float *out) {
    pthread_rwlock_rdlock(&h->grow);
    memcpy(out, h->vectors + (size_t)id * h->dim, h->dim * sizeof(float));
    pthread_rwlock_unlock(&h->grow);
}

size_t vs_hnsw_search(vs_hnsw *h, const float *q, size_t k, size_t ef, const uint64_t *allowed,
                      size_t allowed_bits, int32_t *out_ids, float *out_scores) {
    pthread_rwlock_rdlock(&h->grow);
    size_t n = avx2() ? search_avx2(h, q, k, ef, allowed, allowed_bits, out_ids, out_scores)
                      : search_portable(h, q, k, ef, allowed, allowed_bits, out_ids, out_scores);
    pthread_rwlock_unlock(&h->grow);
    return n;
}

size_t vs_hnsw_exact(vs_hnsw *h, const float *q, size_t k, const uint64_t *allowed,
                     size_t allowed_bits, int32_t *out_ids, float *out_scores) {
    if (k == 0) return 0;
    pthread_rwlock_rdlock(&h->grow);
    size_t n = atomic_load(&h->next);
    // Unfiltered scans of at least VS_SPLIT_SCAN_FLOATS run on two threads (a second core's
    // memory channel: 13 → 23 GB/s on the 2-core EPYC here, for ~50 µs of thread start-up);
    // filtered ones touch only their rows and stay on one.
    size_t found = vs_scan_split(q, h->vectors, n, h->dim, k, h->flags, allowed, allowed_bits,
                                 !allowed && n * h->dim >= VS_SPLIT_SCAN_FLOATS ? 2 : 1, out_ids, out_scores);
    pthread_rwlock_unlock(&h->grow);
    return found;
}

#include <stdio.h>

static const uint64_t vs_magic = 0x31574e48534e5643ull;  // "CVNSHNW1"

int vs_hnsw_save(vs_hnsw *h, const char *path) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    pthread_rwlock_rdlock(&h->grow);
    pthread_mutex_lock(&h->entry_lock);
    uint64_t n = atomic_load(&h->next);
    int64_t header[9] = { (int64_t)vs_magic, (int64_t)h->dim, (int64_t)h->m, (int64_t)h->ef_construction,
                          (int64_t)h->seed, (int64_t)n, h->entry, h->max_level, (int64_t)atomic_load(&h->deleted) };
    int ok = fwrite(header, sizeof header, 1, f) == 1;
    ok = ok && fwrite(h->levels, 1, n, f) == n;
    ok = ok && fwrite((const void *)h->flags, 1, n, f) == n;
    ok = ok && fwrite(h->vectors, sizeof(float) * h->dim, n, f) == n;
    ok = ok && fwrite(h->links0, sizeof(uint32_t) * (h->m0 + 1), n, f) == n;
    for (uint64_t i = 0; ok && i < n; i++)
        if (h->levels[i]) ok = fwrite(h->upper[i], sizeof(uint32_t) * (h->m + 1), h->levels[i], f) == h->levels[i];
    pthread_mutex_unlock(&h->entry_lock);
    pthread_rwlock_unlock(&h->grow);
    if (fclose(f) != 0) ok = 0;
    return ok ? 0 : -1;
}

vs_hnsw *vs_hnsw_load(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    int64_t header[9];
    if (fread(header, sizeof header, 1, f) != 1 || header[0] != (int64_t)vs_magic || header[1] <= 0 || header[5] < 0) {
        fclose(f);
        return NULL;
    }
    size_t n = (size_t)header[5];
    vs_hnsw *h = vs_hnsw_create((size_t)header[1], (size_t)header[2], (size_t)header[3], (uint64_t)header[4], n);
    atomic_store(&h->next, n);
    int ok = h->m == (size_t)header[2];
    ok = ok && fread(h->levels, 1, n, f) == n;
    ok = ok && fread((void *)h->flags, 1, n, f) == n;
    ok = ok && fread(h->vectors, sizeof(float) * h->dim, n, f) == n;
    if (ok) vs_store_halves(h, 0, n);
    ok = ok && fread(h->links0, sizeof(uint32_t) * (h->m0 + 1), n, f) == n;
    for (size_t i = 0; ok && i < n; i++) {
        if (h->levels[i] > VS_MAX_LEVEL) { ok = 0; break; }
        if (h->levels[i]) {
            h->upper[i] = calloc(h->levels[i], sizeof(uint32_t) * (h->m + 1));
            ok = h->upper[i] && fread(h->upper[i], sizeof(uint32_t) * (h->m + 1), h->levels[i], f) == h->levels[i];
        }
    }
    // Reject links that point outside the graph.
    for (size_t i = 0; ok && i < n; i++) {
        for (int l = 0; ok && l <= h->levels[i]; l++) {
            uint32_t *links = vs_links(h, (uint32_t)i, l);
            if (links[0] > (l ? h->m : h->m0)) ok = 0;
            for (uint32_t j = 0; ok && j < links[0]; j++) if (links[1 + j] >= n) ok = 0;
        }
    }
    fclose(f);
    h->entry = header[6];
    h->max_level = (int)header[7];
    atomic_store(&h->deleted, (size_t)header[8]);
    if (!ok || h->entry >= (int64_t)n || (n > 0 && h->entry < 0)) { vs_hnsw_destroy(h); return NULL; }
    return h;
}
