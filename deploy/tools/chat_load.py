"""Concurrent streamed `/v1/chat` through the gateway: one asyncio worker per simulated user
(its own API key and keep-alive connection), each request timed to its first `delta` event and
to its `done` event.
"""
import asyncio
import itertools
import json
import time

import aiohttp

REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=120)


class Results:
    """The outcome of every request of one measured run."""

    def __init__(self):
        self.done_ms, self.first_delta_ms = [], []
        self.cached = 0
        self.retrieval_ms, self.generation_ms = [], []  # the orchestrator's own stage timings
        self.errors = {}
        self.started = self.finished = time.perf_counter()

    def error(self, kind):
        self.errors[kind] = self.errors.get(kind, 0) + 1

    @property
    def requests(self):
        return len(self.done_ms) + sum(self.errors.values())

    def summary(self):
        seconds = max(self.finished - self.started, 1e-9)
        done, first = sorted(self.done_ms), sorted(self.first_delta_ms)
        return {
            "requests": self.requests, "errors": sum(self.errors.values()), "error_kinds": self.errors,
            "p50_ms": percentile(done, 50), "p95_ms": percentile(done, 95), "p99_ms": percentile(done, 99),
            "first_delta_p50_ms": percentile(first, 50), "first_delta_p99_ms": percentile(first, 99),
            "server_retrieval_p50_ms": percentile(sorted(self.retrieval_ms), 50),
            "server_generation_p50_ms": percentile(sorted(self.generation_ms), 50),
            "rps": round(len(done) / seconds, 1), "cached_fraction": round(self.cached / len(done), 3) if done else None,
        }


def percentile(sorted_values, p):
    """Nearest-rank percentile, in ms with one decimal; None without values."""
    if not sorted_values:
        return None
    rank = max(0, min(len(sorted_values) - 1, -(-p * len(sorted_values) // 100) - 1))
    return round(sorted_values[int(rank)], 1)


async def sse_events(response):
    """(event, data) pairs of a server-sent event stream, as they arrive."""
    event, data = "message", []
    async for raw in response.content:
        line = raw.decode().rstrip("\r\n")
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())
    if data:
        yield event, "\n".join(data)


async def chat_once(session, gateway, key, question, results):
    start = time.perf_counter()
    first_delta = None
    try:
        async with session.post(f"{gateway}/v1/chat", json={"content": question, "stream": True},
                                headers={"X-API-Key": key, "Accept": "text/event-stream"}) as response:
            if response.status != 200:
                await response.read()
                results.error(f"http_{response.status}")
                return
            async for event, data in sse_events(response):
                if event == "delta" and first_delta is None:
                    first_delta = (time.perf_counter() - start) * 1000
                elif event == "error":
                    results.error("error_event")
                    return
                elif event == "done":
                    elapsed = (time.perf_counter() - start) * 1000
                    results.done_ms.append(elapsed)
                    results.first_delta_ms.append(first_delta if first_delta is not None else elapsed)
                    metadata = json.loads(data).get("metadata", {})
                    results.cached += bool(metadata.get("cached"))
                    results.retrieval_ms.append(metadata.get("retrieval_ms", 0))
                    results.generation_ms.append(metadata.get("generation_ms", 0))
                    return
            results.error("no_done_event")
    except (aiohttp.ClientError, asyncio.TimeoutError) as failure:
        results.error(type(failure).__name__)


async def run(gateway, keys, questions, requests_per_user=None, seconds=None):
    """Every key's worker sends one request after another, `requests_per_user` each or until
    `seconds` have passed; questions are taken in turn from `questions` (an iterator shared by
    every run, so a later run does not start over with questions already cached)."""
    results = Results()
    deadline = time.perf_counter() + seconds if seconds else None

    async def user(key):
        async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT, connector=aiohttp.TCPConnector(limit=1)) as session:
            for n in itertools.count():
                if (requests_per_user is not None and n >= requests_per_user) or (deadline and time.perf_counter() >= deadline):
                    return
                await chat_once(session, gateway, key, next(questions), results)

    results.started = time.perf_counter()
    await asyncio.gather(*(user(key) for key in keys))
    results.finished = time.perf_counter()
    return results
