"""One tenant's whole journey through the real executables, as its users and integrations see it.

Register, make an API key and use only it from then on; a collection; one document through the
HTTP upload and one published to Kafka by `kcat` as an outside producer; both indexed; a streamed
chat answer through the gateway that cites them; the usage in billing. And a second organisation
that sees none of it.
"""
import json
import os
import pathlib
import subprocess
import tempfile
import urllib.request
import uuid

import pytest

from conftest import REPO, Client, eventually, register_tenant
from document_submitted import SUBMITTED_TOPIC, document_submitted

# Facts only these documents hold, in words the lexical and the vector search both find.
UPLOADED = ("The lighthouse keeper of Ardnamurchan Point is Morag Finlay. "
            "She climbs the one hundred and forty steps to light the lamp at dusk every evening.\n")
PUBLISHED = ("The ferry to the Isle of Rum leaves Mallaig harbour at seven in the morning. "
             "The crossing to Rum takes two hours and fifteen minutes in calm weather.\n")
QUESTION = "When does the ferry to the Isle of Rum leave Mallaig harbour?"
INDEXING_TIMEOUT = 300  # a fresh stack embeds the sample documents first, on two cores
# A member's default scopes (the caller's token goes on to vector-search and generation, which
# authorise it too) plus billing:read, so that the key sees the whole tenant's usage, not its own.
KEY_SCOPES = ["documents:read", "documents:write", "search:query", "embeddings:create", "generation:create",
              "assistants:read", "chat:create", "chat:read", "usage:read", "billing:read"]


def kcat_binary():
    """kcat built against the repo's librdkafka by deploy/local/deps.sh (Debian's cannot talk to Tansu)."""
    built = pathlib.Path(os.environ.get("CAIRN_DEPS_DIR", REPO / ".deps")) / "kcat" / "bin" / "kcat"
    if not built.exists():
        pytest.fail(f"kcat is not installed at {built}: run deploy/local/deps.sh")
    return str(built)


def publish_with_kcat(stack, topic, key, value):
    """One record, produced by kcat exactly as an outside system would (the file is the value)."""
    with tempfile.NamedTemporaryFile(suffix=".pb") as record:
        record.write(value)
        record.flush()
        done = subprocess.run([kcat_binary(), "-P", "-b", stack.kafka_brokers, "-t", topic, "-k", key,
                               "-X", "acks=all", record.name], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"kcat failed ({done.returncode}): {done.stderr}"


def stream_chat(client, body):
    """POST /v1/chat with Accept: text/event-stream, read as it arrives: [(event, data), ...]."""
    request = urllib.request.Request(client.base_url + "/v1/chat", data=json.dumps(body).encode(), method="POST",
                                     headers=client.headers({"Accept": "text/event-stream",
                                                             "Content-Type": "application/json"}))
    events, name, data = [], None, []
    with urllib.request.urlopen(request, timeout=120) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"].startswith("text/event-stream"), answer.headers["Content-Type"]
        for raw in answer:
            line = raw.decode().rstrip("\r\n")
            if line.startswith("event:"):
                name = line[len("event:"):].strip()
            elif line.startswith("data:"):
                data.append(line[len("data:"):].strip())
            elif not line and (name or data):
                events.append((name or "message", json.loads("\n".join(data)) if data else None))
                name, data = None, []
    return events


def document_status(client, document_id):
    answer = client.get(f"/v1/documents/{document_id}")
    assert answer.status == 200, answer
    document = answer.json()
    assert document["status"] != "failed", document
    return document["status"] == "indexed" and document


@pytest.fixture(scope="module")
def owner(stack):
    """The first organisation, from here on only through an API key its admin made."""
    admin = register_tenant(stack)
    made = admin.post("/v1/api-keys", {"name": "e2e integration", "scopes": KEY_SCOPES})
    assert made.status == 201, made
    assert sorted(made.json()["api_key"]["scopes"]) == sorted(KEY_SCOPES), made
    key = Client(stack.gateway, api_key=made.json()["key"])
    key.tenant_id = admin.tenant_id
    return key


@pytest.fixture(scope="module")
def documents(stack, owner):
    """The collection and its two documents, one per door, once both are indexed."""
    made = owner.post("/v1/collections", {"name": f"handbook-{uuid.uuid4().hex[:6]}"})
    assert made.status == 201, made
    collection_id = made.json()["id"]

    uploaded = owner.upload(f"/v1/collections/{collection_id}/documents", "keeper.txt", UPLOADED.encode(),
                            fields={"title": "The keeper"})
    assert uploaded.status == 202, uploaded
    assert uploaded.json()["status"] == "pending", uploaded

    published_id = str(uuid.uuid4())
    value, key = document_submitted(owner.tenant_id, collection_id, published_id, PUBLISHED, title="Ferries",
                                    external_id="timetables/rum.txt", metadata={"source": "kcat"})
    publish_with_kcat(stack, SUBMITTED_TOPIC, key, value)

    ids = {"uploaded": uploaded.json()["document_id"], "published": published_id}
    indexed = {door: eventually(lambda i=document_id: document_status(owner, i), timeout=INDEXING_TIMEOUT,
                                interval=1, what=f"the {door} document indexed")
               for door, document_id in ids.items()}
    return {"collection_id": collection_id, **indexed}


def test_both_doors_end_indexed_in_the_collection(documents):
    uploaded, published = documents["uploaded"], documents["published"]
    for document in (uploaded, published):
        assert document["collection_id"] == documents["collection_id"]
        assert document["version"] == 1 and document["chunk_count"] >= 1, document
        assert document["timestamps"]["indexed_at"], document
    assert uploaded["title"] == "The keeper" and uploaded["mime_type"] == "text/plain"
    assert published["title"] == "Ferries" and published["external_id"] == "timetables/rum.txt"
    assert published["metadata"] == {"source": "kcat"}


@pytest.fixture(scope="module")
def chat(owner, documents):
    return stream_chat(owner, {"message": QUESTION})


def test_the_streamed_answer_comes_in_order_and_cites_the_published_document(chat, documents):
    names = [name for name, _ in chat]
    assert names[0] == "sources" and names[-1] == "done", chat[1:]
    assert set(names[1:-1]) == {"delta"}, names
    sources = chat[0][1]["sources"]
    published = [source for source in sources if source["document_id"] == documents["published"]["id"]]
    assert published, sources
    answer = "".join(data["text"] for name, data in chat if name == "delta")
    assert "seven in the morning" in answer, answer
    assert f"[{published[0]['index']}]" in answer, (answer, sources)
    done = chat[-1][1]
    assert done["metadata"]["interrupted"] is False and done["metadata"]["degraded"] == [], done


def test_the_answer_is_stored_in_the_conversation(owner, chat):
    done = chat[-1][1]
    messages = owner.get(f"/v1/conversations/{done['conversation_id']}/messages")
    assert messages.status == 200, messages
    stored = {message["id"]: message for message in messages.json()["messages"]}
    assert done["message_id"] in stored and done["user_message_id"] in stored, stored.keys()


def usage_of(client):
    answer = client.get("/v1/usage")
    assert answer.status == 200, answer
    return {line["resource"]: line["used"] for line in answer.json()["usage"]}


def test_billing_counts_the_message_and_both_documents(owner, chat):
    def counted():
        used = usage_of(owner)
        return used["messages"] >= 1 and used["documents"] == 2 and used

    used = eventually(counted, timeout=60, interval=1, what="usage with messages >= 1 and documents == 2")
    assert used["storage_bytes"] >= len(UPLOADED) + len(PUBLISHED), used


def test_another_organisation_sees_none_of_it(stack, owner, documents, chat):
    stranger = register_tenant(stack)
    conversation_id = chat[-1][1]["conversation_id"]
    for path in (f"/v1/documents/{documents['uploaded']['id']}", f"/v1/documents/{documents['published']['id']}",
                 f"/v1/collections/{documents['collection_id']}", f"/v1/conversations/{conversation_id}",
                 f"/v1/conversations/{conversation_id}/messages"):
        answer = stranger.get(path)
        assert answer.status == 404, (path, answer)
        assert answer.json()["error"]["code"] == "NOT_FOUND", (path, answer)
    assert stranger.get("/v1/documents").json()["documents"] == []
    assert usage_of(stranger)["documents"] == 0
