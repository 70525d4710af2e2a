"""Schemathesis against the whole running stack: every public operation of openapi.yaml, each
service behind the gateway real (the Swift suite's fuzz test covers only auth and billing, the
two services its harness starts). Zero 5xx, and every answer as the document says."""
import json
import os
import pathlib
import subprocess
import tempfile
import time

from conftest import UNLIMITED_PLAN, Client, ensure_unlimited_plan, register_tenant

CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance"]
MIN_REQUESTS = 2_000


def interactions(value):
    """Requests sent, counted from schemathesis' NDJSON event log."""
    if isinstance(value, dict):
        found = value.get("interactions")
        if isinstance(found, (dict, list)):
            return len(found)
        return sum(interactions(item) for item in value.values())
    if isinstance(value, list):
        return sum(interactions(item) for item in value)
    return 0


def test_every_public_operation_answers_as_documented(stack):
    owner = register_tenant(stack)
    # On the plan without limits, so the run exercises the operations rather than the rate
    # limiter; subscribed by the system admin before the tenant's first call, so the gateway's
    # plan cache never holds the free plan for it.
    admin = stack.system_admin()
    assert ensure_unlimited_plan(admin) is None
    subscribed = admin.post(f"/v1/tenants/{owner.tenant_id}/subscription", {"plan": UNLIMITED_PLAN})
    assert subscribed.status == 201, subscribed
    assert owner.get(f"/v1/tenants/{owner.tenant_id}/plan").json()["plan"]["name"] == UNLIMITED_PLAN
    st = pathlib.Path(os.environ.get("CAIRN_VENV", ".deps/venv")) / "bin" / "st"
    with tempfile.TemporaryDirectory() as work:
        report = pathlib.Path(work) / "report.ndjson"
        # Credentials per security scheme: with a plain `--header Authorization` schemathesis also
        # generates an X-API-Key (the other scheme), and the gateway refuses requests with both.
        config = pathlib.Path(work) / "schemathesis.toml"
        config.write_text(f'[auth.openapi.bearerAuth]\nbearer = "{owner.token}"\n')
        done = subprocess.run([
            str(st), "--config-file", str(config), "run", f"{stack.gateway}/openapi.json", "--checks", ",".join(CHECKS),
            "--max-examples", "25", "--seed", "20261123",
            "--workers", "1", "--generation-database", "none", "--no-color", "--report", "ndjson",
            "--report-ndjson-path", str(report), "--request-timeout", "30", "--suppress-health-check", "all",
            # Not its own subscription: cancelling it puts the tenant back on the free plan's
            # limits, and the rest of the run would mostly see 429s (billing's Swift tests cover it).
            "--exclude-path-regex", r"^/v1/tenants/\{tenant_id\}/subscription$",
        ], capture_output=True, text=True, timeout=1500)
        requests = sum(interactions(json.loads(line)) for line in report.read_text().splitlines() if line.strip())
    # Fuzzing register, login and the other anonymous operations spends this address's anonymous
    # budget (30 a minute): wait until it is whole again, so the tests after this one can register.
    reset = Client(stack.gateway).get("/.well-known/jwks.json").headers.get("RateLimit-Reset", "60")
    time.sleep(min(int(reset), 60) + 1)
    print(f"schemathesis: {requests} requests, exit status {done.returncode}")
    assert done.returncode == 0, f"schemathesis found problems:\n{done.stdout[-8000:]}\n{done.stderr[-2000:]}"
    assert requests >= MIN_REQUESTS, f"only {requests} requests were generated:\n{done.stdout[-2000:]}"
