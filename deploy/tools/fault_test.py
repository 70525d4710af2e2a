"""`make faulttest`: faults while ingestion and chat traffic run, then nothing lost, nothing twice.

A stack of its own (the e2e suite's `Stack`, started by chat_bench_setup; port base
CAIRN_FAULT_PORT_BASE, 30080; run dir CAIRN_FAULT_RUN_DIR, .run/fault), a tenant on the
unlimited benchmark plan, and two background threads: one uploading small distinct documents
(recording every 202's document id), one asking questions with an Idempotency-Key (recording
every answered message id and whether it was metered). Meanwhile, in turn: kill -9 of each of the
eight services and `services.sh up`; Redis and the Kafka broker stopped and started; Postgres
stopped for 30 s. Then, bounded: every accepted document `indexed` with exactly its chunk_count
chunks in vector search, every metered answer in billing's usage_ledger exactly once, every
/ready 200 with no manual action. One JSON line of numbers; exit 1 on any loss or duplicate.
"""
import json
import os
import pathlib
import subprocess
import sys
import threading
import time
import uuid

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "tests" / "e2e"))
from chat_bench_setup import REPO, ensure_plan, expect, register_tenant, start_stack  # noqa: E402
from conftest import Client  # noqa: E402
from test_end_to_end import KEY_SCOPES  # noqa: E402

SERVICES = ["gateway", "auth", "billing", "ingestion", "embedding", "vector-search", "generation", "chat-orchestrator"]
POSTGRES_DOWN_SECONDS = 30
READY_TIMEOUT = 180  # after a fault, for every /ready to be 200 again on its own
SETTLE_TIMEOUT = 180  # after the traffic stops, for every document and message to arrive
STEADY_SECONDS = 8  # traffic between two faults


def log(message):
    print(f"fault-test: {message}", file=sys.stderr, flush=True)


class Traffic:
    """The two background clients and what the system accepted from them."""

    def __init__(self, client, collection_id):
        self.client, self.collection_id = client, collection_id
        self.stop = threading.Event()
        self.accepted = []  # document ids answered 202
        self.answered = {}  # message id -> metered
        self.errors = {"upload": 0, "chat": 0}
        self.threads = [threading.Thread(target=self.upload_loop, daemon=True),
                        threading.Thread(target=self.chat_loop, daemon=True)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=150)

    def attempt(self, kind, call):
        try:
            return call()
        except Exception:  # noqa: BLE001  (refused, reset, timed out: expected during a fault)
            self.errors[kind] += 1
            return None

    def upload_loop(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            name = f"fault-{n:05d}-{uuid.uuid4().hex[:6]}"
            text = (f"Fault test document {n}. The beacon code of station {name} is {uuid.uuid4().hex}.\n").encode()
            answer = self.attempt("upload", lambda: self.client.upload(
                f"/v1/collections/{self.collection_id}/documents", f"{name}.txt", text,
                {"external_id": name, "title": name}))
            if answer is not None and answer.status == 202:
                self.accepted.append(answer.json()["document_id"])
            elif answer is not None:
                self.errors["upload"] += 1
            self.stop.wait(1.0)

    def chat_loop(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            key = str(uuid.uuid4())
            body = {"content": f"What is the beacon code of station fault-{n:05d}? ({key[:8]})", "stream": False}
            for _ in range(3):  # the same Idempotency-Key: a retry answers (or replays) once
                answer = self.attempt("chat", lambda: self.client.post(
                    "/v1/chat", body, headers={"Idempotency-Key": key}, timeout=60))
                if answer is not None and answer.status == 200:
                    done = answer.json()
                    self.answered[done["message_id"]] = not done["metadata"]["interrupted"]
                    break
                if answer is not None:
                    self.errors["chat"] += 1
                if self.stop.wait(2.0):
                    break
            self.stop.wait(0.5)


def psql(stack, database, sql):
    """Rows of a query against the stack's own Postgres, as lists of strings."""
    done = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(stack.base + 10), "-U",
                           os.environ.get("CAIRN_POSTGRES_USER", "cairn"), "-d", database,
                           "-At", "-F", "\t", "-c", sql], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"psql {database}: {done.stderr.strip()}")
    return [line.split("\t") for line in done.stdout.splitlines() if line]


def sql_list(values):
    return ",".join(f"'{value}'" for value in values) or "NULL"


def not_ready(stack):
    """The services whose /ready is not 200."""
    down = []
    for index, name in enumerate(SERVICES):
        answer = None
        try:
            answer = Client(stack.url(index)).get("/ready", timeout=5)
        except Exception:  # noqa: BLE001
            pass
        if answer is None or answer.status != 200:
            down.append(name)
    return down


def wait_ready(stack, since):
    """Seconds from `since` until every /ready is 200; None if not within READY_TIMEOUT."""
    while time.monotonic() - since < READY_TIMEOUT:
        if not not_ready(stack):
            return round(time.monotonic() - since, 1)
        time.sleep(0.5)
    log(f"not ready after {READY_TIMEOUT}s: {not_ready(stack)}")
    return None


def services_up(stack):
    """`services.sh up` without a build: restarts what is not running, as a supervisor would."""
    for attempt in range(3):
        done = stack.script("services.sh", "up", check=False)
        if done.returncode == 0:
            return
        log(f"services.sh up failed ({done.returncode}), retrying: {done.stderr[-500:]}")
        time.sleep(15)


def kill_service(stack, name):
    pid = int((stack.run_dir / "pids" / f"{name}.pid").read_text().strip())
    os.kill(pid, 9)
    started = time.monotonic()
    time.sleep(1)
    services_up(stack)
    return wait_ready(stack, started)


def restart_infra(stack, name, down_seconds=0):
    stack.script("infra.sh", "stop", name, check=False)
    started = time.monotonic()
    time.sleep(down_seconds)
    stack.script("infra.sh", "start", name, check=False)
    return wait_ready(stack, started)


def run_faults(stack):
    stack.env["CAIRN_SERVICES_BUILD"] = "0"
    recovery = {}
    faults = [(f"kill9_{name}", lambda n=name: kill_service(stack, n)) for name in SERVICES]
    faults += [("restart_redis", lambda: restart_infra(stack, "redis")),
               ("restart_kafka", lambda: restart_infra(stack, "kafka")),
               ("stop_postgres_30s", lambda: restart_infra(stack, "postgres", POSTGRES_DOWN_SECONDS))]
    only = os.environ.get("CAIRN_FAULT_ONLY")  # comma-separated labels: to chase one fault
    if only:
        faults = [(label, fault) for label, fault in faults if label in only.split(",")]
    repeat = int(os.environ.get("CAIRN_FAULT_REPEAT", "1"))  # run the list this often: to catch a race
    if repeat > 1:
        faults = [(f"{label}#{round}", fault) for round in range(1, repeat + 1) for label, fault in faults]
    for label, fault in faults:
        log(f"fault: {label}")
        recovery[label] = fault()
        log(f"  recovered in {recovery[label]} s")
        if recovery[label] is None:  # not ready on its own: counted, then put right to go on
            services_up(stack)
        time.sleep(STEADY_SECONDS)
    return recovery


def document_state(stack, tenant_id, accepted):
    """(indexed ids, duplicated ids): indexed with exactly chunk_count chunks of one version."""
    ids = sql_list(accepted)
    documents = {row[0]: row for row in psql(stack, "cairn_ingestion", f"""
        SELECT d.id, d.status, d.chunk_count, d.current_version,
               (SELECT count(*) FROM document_versions v WHERE v.document_id = d.id)
        FROM documents d WHERE d.tenant_id = '{tenant_id}' AND d.id IN ({ids})""")}
    chunks = {}
    for document_id, version, count, ordinals in psql(stack, "cairn_vectors", f"""
            SELECT document_id, document_version, count(*), count(DISTINCT ordinal) FROM cairn_vectors
            WHERE tenant_id = '{tenant_id}' AND document_id IN ({ids}) GROUP BY 1, 2"""):
        chunks.setdefault(document_id, []).append((int(version), int(count), int(ordinals)))
    indexed, duplicated = set(), set()
    for document_id, (_, status, chunk_count, version, versions) in documents.items():
        stored = chunks.get(document_id, [])
        if int(versions) > 1 or len(stored) > 1 or any(count != ordinals for _, count, ordinals in stored):
            duplicated.add(document_id)
        if status == "indexed" and stored == [(int(version), int(chunk_count), int(chunk_count))]:
            indexed.add(document_id)
    return indexed, duplicated


def billing_state(stack, tenant_id, metered):
    """(billed message ids, duplicated ids, ledger rows of chat messages) of the metered answers."""
    rows = psql(stack, "cairn_billing", f"""
        SELECT usage_id, count(*) FROM usage_ledger WHERE tenant_id = '{tenant_id}' AND usage_id LIKE 'chat:message:%'
        GROUP BY 1""")
    counts = {usage_id.removeprefix("chat:message:"): int(count) for usage_id, count in rows}
    billed = {message for message in metered if counts.get(message, 0) >= 1}
    duplicated = {message for message, count in counts.items() if count > 1}
    return billed, duplicated, sum(counts.values())


def settle(stack, tenant_id, traffic):
    accepted, metered = set(traffic.accepted), {m for m, is_metered in traffic.answered.items() if is_metered}
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        indexed, doc_duplicates = document_state(stack, tenant_id, accepted)
        billed, bill_duplicates, ledger_rows = billing_state(stack, tenant_id, metered)
        ready = not not_ready(stack)
        if (indexed == accepted and billed == metered and ready) or time.monotonic() > deadline:
            break
        time.sleep(3)
    return {
        "documents_accepted": len(accepted), "documents_indexed": len(indexed & accepted),
        "documents_duplicated": len(doc_duplicates), "documents_missing": sorted(accepted - indexed)[:10],
        "messages_answered": len(traffic.answered), "messages_metered": len(metered),
        "messages_billed": len(billed), "messages_billing_duplicates": len(bill_duplicates),
        "chat_ledger_rows": ledger_rows, "messages_missing": sorted(metered - billed)[:10],
        "all_ready": ready, "not_ready": not_ready(stack), "client_errors": traffic.errors,
    }


def main():
    base = int(os.environ.get("CAIRN_FAULT_PORT_BASE", "30080"))
    run_dir = pathlib.Path(os.environ.get("CAIRN_FAULT_RUN_DIR", REPO / ".run" / "fault"))
    stack = start_stack(base, run_dir)
    try:
        admin = stack.system_admin()
        ensure_plan(admin)
        owner, tenant_id = register_tenant(stack, admin)
        made = expect(owner.post("/v1/api-keys", {"name": "fault test", "scopes": KEY_SCOPES}), 201, "creating an API key")
        client = Client(stack.gateway, api_key=made["key"])
        collection_id = expect(client.post("/v1/collections", {"name": f"fault-{uuid.uuid4().hex[:6]}"}), 201,
                               "creating the collection")["id"]
        traffic = Traffic(client, collection_id)
        traffic.start()
        time.sleep(STEADY_SECONDS)
        started = time.monotonic()
        recovery = run_faults(stack)
        traffic.finish()
        log(f"faults done in {time.monotonic() - started:.0f}s; settling (at most {SETTLE_TIMEOUT}s)")
        result = settle(stack, tenant_id, traffic)
        result["recovery_seconds"] = recovery
    finally:
        if os.environ.get("CAIRN_FAULT_KEEP") != "1":
            stack.down()
    print(json.dumps(result), flush=True)
    lost = (result["documents_indexed"] < result["documents_accepted"] or result["documents_duplicated"]
            or result["messages_billed"] < result["messages_metered"] or result["messages_billing_duplicates"]
            or not result["all_ready"] or None in recovery.values())
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
