"""The soak: steady chat traffic for some minutes while every service's resident memory (VmRSS
of /proc/<pid>/status, the pids from <run dir>/pids/<service>.pid) is sampled once a minute.
"""
import asyncio
import json
import time

import chat_load

SERVICES = ["gateway", "auth", "billing", "ingestion", "embedding", "vector-search", "generation", "chat-orchestrator"]
# RSS may settle (caches, pools filling) in the first minutes; after that it should stay flat.
MAX_GROWTH_PCT = 20


def rss_mb(run_dir):
    sizes = {}
    for name in SERVICES:
        try:
            pid = (run_dir / "pids" / f"{name}.pid").read_text().strip()
            status = open(f"/proc/{pid}/status").read()
        except OSError:
            sizes[name] = None
            continue
        kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), None)
        sizes[name] = round(kb / 1024, 1) if kb is not None else None
    return sizes


def verdict(samples):
    """Growth of each service's RSS from the baseline (the minute-2 sample, or minute 1 on a soak
    shorter than 3 minutes) to the last sample."""
    base_minute = min(2, len(samples) - 2)
    baseline, last = samples[base_minute], samples[-1]
    growth = {name: round((last[name] - baseline[name]) * 100 / baseline[name], 1)
              for name in SERVICES if baseline.get(name) and last.get(name) is not None}
    died = [name for name in SERVICES if last.get(name) is None]
    worst = max(growth.values(), default=0.0)
    return {"bench": "chat_soak_verdict", "minutes": len(samples) - 1, "baseline_minute": base_minute,
            "growth_pct": growth, "max_growth_pct": worst, "limit_pct": MAX_GROWTH_PCT, "stopped": died,
            "bounded": not died and worst < MAX_GROWTH_PCT}


async def soak(gateway, run_dir, keys, questions, minutes):
    """Prints a JSON line per minute (RSS and that minute's traffic) and the verdict line."""
    samples = [rss_mb(run_dir)]
    print(json.dumps({"bench": "chat_soak", "minute": 0, "rss_mb": samples[0]}, sort_keys=True), flush=True)
    for minute in range(1, minutes + 1):
        started = time.perf_counter()
        results = await chat_load.run(gateway, keys, questions, seconds=60)
        await asyncio.sleep(max(0.0, 60 - (time.perf_counter() - started)))
        samples.append(rss_mb(run_dir))
        traffic = results.summary()
        print(json.dumps({"bench": "chat_soak", "minute": minute, "rss_mb": samples[-1], "users": len(keys),
                          "requests": traffic["requests"], "errors": traffic["errors"], "p50_ms": traffic["p50_ms"],
                          "p99_ms": traffic["p99_ms"], "cached_fraction": traffic["cached_fraction"]}, sort_keys=True), flush=True)
    result = verdict(samples)
    print(json.dumps(result, sort_keys=True), flush=True)
    return result["bounded"]
