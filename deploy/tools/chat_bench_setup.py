"""The chat benchmark's world: a started stack, a tenant on a plan without limits, its users'
API keys, indexed documents and varied questions about them.

The stack is the one the end-to-end tests start (tests/e2e/conftest.py's `Stack` and `Client`,
imported, not copied): its own Postgres, Redis, Kafka and eight services on a port base of its
own, state in a run directory of its own.
"""
import pathlib
import random
import re
import secrets
import sys
import time
import uuid

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "e2e"))
from conftest import UNLIMITED_PLAN as PLAN, Client, Stack, ensure_unlimited_plan  # noqa: E402  (shared with the e2e suite)

# The three smaller samples (~100 KB of Markdown): indexed within a minute or two on 2 cores.
SAMPLES = ["001_0c5fd44e70754090.txt", "002_c9208b08eeceea81.txt", "003_7adecd06c171304c.txt"]
TEMPLATES = ["What is {}?", "Explain {}.", "How does {} work?", "Summarise the section on {}.",
             "What does the document say about {}?", "Give the key points of {}."]


def log(message):
    print(f"chat-bench: {message}", file=sys.stderr, flush=True)


def expect(answer, status, what):
    if answer.status != status:
        raise SystemExit(f"chat-bench: {what} failed: {answer!r}")
    return answer.json()


def start_stack(base, run_dir):
    """Starts (or reuses: both scripts skip what runs) infrastructure and services."""
    run_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(base, run_dir)
    log(f"stack up (port base {base}, run dir {run_dir})")
    failed = stack.up()
    if failed:
        raise SystemExit(f"chat-bench: {failed}")
    return stack


def ensure_plan(admin):
    failed = ensure_unlimited_plan(admin)
    if failed:
        raise SystemExit(f"chat-bench: {failed}")


def register_tenant(stack, admin):
    """A fresh organisation subscribed to the benchmark plan before it makes any call, so the
    gateway's plan cache never holds the free plan for it."""
    password = "Bench-" + secrets.token_urlsafe(12)
    registration = expect(Client(stack.gateway).post("/v1/auth/register", {
        "organisation": f"Bench {uuid.uuid4().hex[:8]}", "email": f"bench-{uuid.uuid4().hex[:8]}@bench.example",
        "password": password, "display_name": "Bench Admin"}), 201, "registering the bench tenant")
    tenant_id = registration["user"]["tenant_id"]
    expect(admin.post(f"/v1/tenants/{tenant_id}/subscription", {"plan": PLAN, "billing_cycle": "monthly"}),
           201, "subscribing the bench tenant")
    client = Client(stack.gateway, token=registration["tokens"]["access_token"])
    plan = expect(client.get(f"/v1/tenants/{tenant_id}/plan"), 200, "reading the tenant's plan")
    if plan.get("plan", {}).get("name") != PLAN:
        raise SystemExit(f"chat-bench: the tenant is not on {PLAN}: {plan}")
    return client, tenant_id


def create_api_keys(admin_client, count):
    """One API key per simulated user: the gateway's chat buckets are per key."""
    return [expect(admin_client.post("/v1/api-keys", {"name": f"bench user {n}", "expires_in_days": 1}),
                   201, "creating an API key")["key"] for n in range(count)]


def index_samples(client, timeout=600):
    """Uploads the samples into a new collection and waits until every one is indexed."""
    collection = expect(client.post("/v1/collections", {"name": f"bench-{uuid.uuid4().hex[:6]}"}), 201,
                        "creating the collection")["id"]
    documents = []
    for name in SAMPLES:
        path = REPO / "deploy" / "samples" / name
        answer = client.upload(f"/v1/collections/{collection}/documents", name, path.read_bytes(),
                               {"external_id": name, "title": path.stem}, content_type="text/markdown")
        documents.append(expect(answer, 202, f"uploading {name}")["document_id"])
    deadline = time.monotonic() + timeout
    pending = set(documents)
    while pending:
        for document in list(pending):
            status = expect(client.get(f"/v1/documents/{document}"), 200, "reading a document")["status"]
            if status == "indexed":
                pending.discard(document)
            elif status == "failed":
                raise SystemExit(f"chat-bench: document {document} failed to index")
        if pending and time.monotonic() > deadline:
            raise SystemExit(f"chat-bench: {len(pending)} documents not indexed within {timeout}s")
        time.sleep(1)
    log(f"{len(documents)} documents indexed in collection {collection}")


def questions():
    """Varied questions built from the samples' headings, so the answer cache (same question,
    assistant and collection versions) answers only the repeats."""
    topics = []
    for name in SAMPLES:
        for line in (REPO / "deploy" / "samples" / name).read_text(errors="replace").splitlines():
            heading = re.match(r"^#{1,4}\s+(?:[\d.]+\s+)?(.{4,80})$", line.strip())
            if heading:
                topic = re.sub(r"[`*_\[\]()#]", "", heading.group(1)).strip()
                if len(topic) >= 4 and topic not in topics:
                    topics.append(topic)
    single = [template.format(topic) for topic in topics for template in TEMPLATES]
    # Pairs of topics: tens of thousands more, so a 10-minute soak hardly repeats a question.
    pairs = [f"How does {first} relate to {second}?" for first in topics for second in topics if first != second]
    random.Random(7).shuffle(pairs)
    return single + pairs
