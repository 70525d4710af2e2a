"""The stack the end-to-end tests talk to: the real executables, started by the local scripts.

One session fixture, `stack`, starts a whole Cairn beside anything else running on the machine:
its own Postgres, Redis and Kafka broker (ports from CAIRN_E2E_PORT_BASE + 10, 11, 12), its own
eight services (CAIRN_E2E_PORT_BASE and the seven after it), all state under CAIRN_E2E_RUN_DIR
(.run/e2e by default). It stops everything at the end of the session, unless CAIRN_E2E_KEEP=1:
then it is left running, and the next session reuses it (both scripts skip what is running).
"""
import json
import os
import pathlib
import secrets
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
LOCAL = REPO / "deploy" / "local"


UNLIMITED_PLAN = "bench-unlimited"
# Rate limits high enough that no bucket refuses a request; -1 is "no quota".
UNLIMITED_RATE = {"per_minute": 10_000_000, "burst": 10_000_000, "tenant_per_minute": 10_000_000}
UNLIMITED_PLAN_BODY = {
    "name": UNLIMITED_PLAN, "display_name": "Benchmark (no limits)", "price_cents": 0, "currency": "usd",
    "limits": {"messages_per_month": -1, "tokens_per_message": -1, "api_calls_per_day": -1, "documents": -1, "storage_mb": -1},
    "rate_limits": {"general": UNLIMITED_RATE, "chat": UNLIMITED_RATE, "search": UNLIMITED_RATE},
}


def ensure_unlimited_plan(admin):
    """Creates (or resets) the plan without limits as the system admin; None, or what failed."""
    created = admin.post("/v1/plans", UNLIMITED_PLAN_BODY)
    if created.status == 409:
        updated = admin.request("PUT", f"/v1/plans/{UNLIMITED_PLAN}", UNLIMITED_PLAN_BODY)
        return None if updated.status == 200 else f"updating the plan without limits failed: {updated!r}"
    return None if created.status == 201 else f"creating the plan without limits failed: {created!r}"


class Stack:
    """Where the started stack listens, and how to run the local scripts against it."""

    def __init__(self, base, run_dir):
        self.base = base
        self.run_dir = run_dir
        self.gateway = f"http://127.0.0.1:{base}"
        self.gateway_admin = f"http://127.0.0.1:{base + 1000}"
        self.kafka_brokers = f"127.0.0.1:{base + 12}"
        self.env = dict(
            os.environ,
            CAIRN_RUN_DIR=str(run_dir),
            CAIRN_PORT_BASE=str(base),
            CAIRN_PG_PORT=str(base + 10),
            CAIRN_REDIS_PORT=str(base + 11),
            CAIRN_KAFKA_PORT=str(base + 12),
        )
        # What env.sh derives from the ports above must be derived again, not inherited.
        for name in list(self.env):
            if name in ("CAIRN_POSTGRES_PORT", "CAIRN_KAFKA_BROKERS", "CAIRN_OBJSTORE_PORT", "CAIRN_GATEWAY_ADMIN_PORT", "CAIRN_HTTP_PORT") \
                    or (name.startswith("CAIRN_") and name.endswith("_URL")):
                del self.env[name]

    def url(self, service_index):
        """The URL of the service at CAIRN_PORT_BASE + index (0 gateway ... 7 chat-orchestrator)."""
        return f"http://127.0.0.1:{self.base + service_index}"

    def script(self, name, *args, check=True):
        return subprocess.run(["bash", str(LOCAL / name), *args], env=self.env, check=check,
                              text=True, capture_output=True)

    def bin(self, product):
        """The path of a built executable product (the debug build the services run from)."""
        out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, env=self.env,
                             check=True, text=True, capture_output=True).stdout.strip()
        return pathlib.Path(out) / product

    def secrets(self):
        values = {}
        for line in (self.run_dir / "secrets.env").read_text().splitlines():
            key, _, value = line.partition("=")
            values[key] = value
        return values

    def log(self, service):
        return (self.run_dir / "logs" / f"{service}.log").read_text(errors="replace")

    def up(self):
        """Starts infrastructure and services (both scripts skip what runs); None, or why not."""
        for script in ("infra.sh", "services.sh"):
            done = self.script(script, "up", check=False)
            if done.returncode != 0:
                return f"{script} up failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return None

    def down(self):
        for script in ("services.sh", "infra.sh"):
            self.script(script, "down", check=False)

    def system_admin(self):
        """A client signed in as the bootstrap system admin (organisation cairn-platform)."""
        values = self.secrets()
        answer = Client(self.gateway).post("/v1/auth/login", {
            "tenant": "cairn-platform", "email": values["CAIRN_AUTH_BOOTSTRAP_ADMIN_EMAIL"],
            "password": values["CAIRN_AUTH_BOOTSTRAP_ADMIN_PASSWORD"]})
        assert answer.status == 200, f"system admin login: {answer!r}"
        return Client(self.gateway, token=answer.json()["tokens"]["access_token"])


@pytest.fixture(scope="session")
def stack():
    base = int(os.environ.get("CAIRN_E2E_PORT_BASE", "18080"))
    run_dir = pathlib.Path(os.environ.get("CAIRN_E2E_RUN_DIR", REPO / ".run" / "e2e"))
    run_dir.mkdir(parents=True, exist_ok=True)
    started = Stack(base, run_dir)
    keep = os.environ.get("CAIRN_E2E_KEEP") == "1"
    try:
        failed = started.up()
        if failed:
            pytest.fail(failed)
        yield started
    finally:
        if not keep:
            started.down()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body or b"null")

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Client:
    """A tiny HTTP client for the gateway: JSON in and out, a bearer token or an API key."""

    def __init__(self, base_url, token=None, api_key=None):
        self.base_url = base_url
        self.token = token
        self.api_key = api_key

    def headers(self, extra=None):
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.api_key:
            headers["X-API-Key"] = self.api_key
        headers.update(extra or {})
        return headers

    def request(self, method, path, body=None, headers=None, raw=None, content_type="application/json", timeout=60):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        all_headers = self.headers(headers)
        if data is not None:
            all_headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return Response(answer.status, dict(answer.headers), answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read())

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def upload(self, path, filename, content, fields=None, content_type="text/plain"):
        """A multipart/form-data upload of one file plus form fields."""
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in (fields or {}).items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, raw=b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}")


def eventually(check, timeout=60, interval=0.5, what="the condition"):
    """Polls `check` until it returns something truthy; fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not hold within {timeout}s (last: {value!r})")
        time.sleep(interval)


@pytest.fixture
def tenant(stack):
    """A fresh organisation registered through the gateway: its admin's signed-in client."""
    return register_tenant(stack)


def register_tenant(stack):
    """Registers a fresh organisation through the gateway; its admin's signed-in client."""
    email = f"admin-{uuid.uuid4().hex[:8]}@e2e.example"
    password = "Tangerine-" + secrets.token_urlsafe(12)
    anonymous = Client(stack.gateway)
    answer = anonymous.post("/v1/auth/register", {"organisation": f"E2E {uuid.uuid4().hex[:8]}", "email": email,
                                                   "password": password, "display_name": "E2E Admin"})
    assert answer.status == 201, answer
    registration = answer.json()
    client = Client(stack.gateway, token=registration["tokens"]["access_token"])
    client.email, client.password = email, password
    client.tenant_id = registration["user"]["tenant_id"]
    client.tenant_slug = registration.get("tenant", {}).get("slug")
    return client
