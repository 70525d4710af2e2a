#!/usr/bin/env python3
"""The baseline beside ingestion's extraction + chunking in `make bench`: `pdftotext` (poppler,
the same binary ingestion runs) for PDFs, reading the file for Markdown, then plain fixed-size
splitting (1,000 characters, 200 overlap: about 256 tokens of English with 32+ overlap).

  ingestion_reference_bench.py <markdown|pdf> <repeats> <file>...

Prints one JSON line: documents and chunks per second (the best of `repeats` passes).
"""
import json
import subprocess
import sys
import time

SIZE, OVERLAP = 1000, 200


def split(text):
    chunks, start = [], 0
    while start < len(text):
        chunks.append(text[start:start + SIZE])
        start += SIZE - OVERLAP
    return chunks


def extract(kind, path):
    if kind == "pdf":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], check=True, capture_output=True).stdout.decode()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def main(kind, repeats, files):
    best, chunk_count = 0.0, 0
    for _ in range(int(repeats)):
        start = time.perf_counter()
        chunk_count = sum(len(split(" ".join(extract(kind, path).split()))) for path in files)
        rate = len(files) / (time.perf_counter() - start)
        best = max(best, rate)
    print(json.dumps({"bench": f"ingestion_{kind}", "client": "python-pdftotext-fixed" if kind == "pdf" else "python-fixed",
                      "documents": len(files), "chunks": chunk_count, "documents_per_s": round(best, 1),
                      "chunks_per_s": round(best * chunk_count / len(files), 1)}, sort_keys=True))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
