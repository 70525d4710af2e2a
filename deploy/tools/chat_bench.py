#!/usr/bin/env python3
"""End-to-end `/v1/chat` (streamed, extractive generator) through the gateway of a stack of its
own, for `make bench` (bench.sh chat) and `make loadtest`. Prints JSON lines on stdout, progress
on stderr.

  chat_bench.py bench      1, 10 and 50 concurrent users, CAIRN_BENCH_SECONDS (20) each
  chat_bench.py loadtest   100 users x 10 requests, then the soak: CAIRN_SOAK_MINUTES (10) of
                           CAIRN_SOAK_USERS (10) users' traffic, every service's RSS each minute

Environment: CAIRN_BENCH_PORT_BASE (24080) and CAIRN_BENCH_RUN_DIR (.run/bench) place the stack
(services.sh builds it as CAIRN_BUILD_CONFIG says: bench.sh sets release); CAIRN_BENCH_KEEP=1
leaves it running for the next run. Exit status 1 when a level had errors or the soak's RSS grew.
"""
import asyncio
import itertools
import json
import os
import pathlib
import sys

import chat_bench_setup as setup
import chat_load
import chat_soak

SLO = {"slo_p50_ms": 1000, "slo_p95_ms": 3000, "target_p50_ms": 40, "target_p99_ms": 150}
LEVELS = [1, 10, 50]
WARMUP_REQUESTS = 3  # per user of the largest level, unmeasured


def line(record):
    print(json.dumps(record, sort_keys=True), flush=True)


def prepare(stack, users):
    admin = stack.system_admin()
    setup.ensure_plan(admin)
    tenant, _ = setup.register_tenant(stack, admin)
    setup.index_samples(tenant)
    keys = setup.create_api_keys(tenant, users)
    questions = setup.questions()
    setup.log(f"{len(keys)} users, {len(questions)} distinct questions")
    return keys, itertools.cycle(questions)


async def bench(stack, keys, questions):
    seconds = float(os.environ.get("CAIRN_BENCH_SECONDS", "20"))
    warm = await chat_load.run(stack.gateway, keys[:max(LEVELS)], questions, requests_per_user=WARMUP_REQUESTS)
    setup.log(f"warm-up: {warm.summary()}")
    clean = True
    for users in LEVELS:
        results = (await chat_load.run(stack.gateway, keys[:users], questions, seconds=seconds)).summary()
        line({"bench": "chat_gateway", "users": users, "seconds": seconds, **results, **SLO})
        clean = clean and results["errors"] == 0 and results["requests"] > 0
    return clean


async def loadtest(stack, keys, questions):
    users, per_user = 100, 10
    await chat_load.run(stack.gateway, keys[:10], questions, requests_per_user=WARMUP_REQUESTS)
    results = (await chat_load.run(stack.gateway, keys[:users], questions, requests_per_user=per_user)).summary()
    line({"bench": "chat_loadtest", "users": users, "requests_per_user": per_user, **results, **SLO})
    minutes = int(os.environ.get("CAIRN_SOAK_MINUTES", "10"))
    soak_users = int(os.environ.get("CAIRN_SOAK_USERS", "10"))
    bounded = await chat_soak.soak(stack.gateway, stack.run_dir, keys[:soak_users], questions, minutes)
    return results["errors"] == 0 and bounded


def main(mode):
    base = int(os.environ.get("CAIRN_BENCH_PORT_BASE", "24080"))
    run_dir = pathlib.Path(os.environ.get("CAIRN_BENCH_RUN_DIR", setup.REPO / ".run" / "bench"))
    stack = setup.start_stack(base, run_dir)
    try:
        keys, questions = prepare(stack, 100 if mode == "loadtest" else max(LEVELS))
        ok = asyncio.run((loadtest if mode == "loadtest" else bench)(stack, keys, questions))
    finally:
        if os.environ.get("CAIRN_BENCH_KEEP") != "1":
            setup.log("stopping the stack")
            stack.down()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("bench", "loadtest"):
        sys.exit(__doc__)
    main(sys.argv[1])
