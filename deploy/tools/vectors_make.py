"""The vector-search benchmark's data (`make bench`, `cairn-bench vector-search`): deterministic
clustered 384-d unit vectors (a stand-in for sentence embeddings at scale), 1,000 queries from the
same distribution, and each query's exact top-10 by inner product (= cosine).

    vectors_make.py OUT_DIR N

Writes, little-endian: OUT_DIR/base.f32 (N*384 float32), OUT_DIR/queries.f32 (1000*384 float32),
OUT_DIR/truth.i32 (1000*10 int32, best first). Same seed and method as the anchor's reference
generator (`../shared/bench/vectors_make.py`), so the files are identical and
`../shared/bench/vectors_anchor.py OUT_DIR` measures hnswlib, faiss and usearch on them.
Needs numpy (the bench venv has it)."""
import numpy as np, sys, os
N, Q, D, C = int(sys.argv[2]), 1000, 384, 2000
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261122)
centers = rng.standard_normal((C, D)).astype(np.float32)
def sample(n):
    idx = rng.integers(0, C, n)
    v = centers[idx] + 2.0 * rng.standard_normal((n, D)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)
base = sample(N); queries = sample(Q)
truth = np.empty((Q, 10), dtype=np.int32)
for i in range(0, Q, 100):
    s = queries[i:i+100] @ base.T
    top = np.argpartition(-s, 10, axis=1)[:, :10]
    order = np.argsort(-np.take_along_axis(s, top, 1), axis=1)
    truth[i:i+100] = np.take_along_axis(top, order, 1)
base.tofile(f"{out}/base.f32"); queries.tofile(f"{out}/queries.f32"); truth.tofile(f"{out}/truth.i32")
print(N, Q, D)
