"""The started executables are wired together: every service ready, the gateway the only door."""
import urllib.request

from conftest import Client

SERVICES = ["gateway", "auth", "billing", "ingestion", "embedding", "vector-search", "generation", "chat-orchestrator"]


def test_every_service_is_ready(stack):
    for index, name in enumerate(SERVICES):
        with urllib.request.urlopen(f"{stack.url(index)}/ready", timeout=10) as answer:
            assert answer.status == 200, name


def test_the_gateway_refuses_anonymous_callers_and_serves_the_web_app(stack):
    anonymous = Client(stack.gateway)
    refused = anonymous.get("/v1/collections")
    assert refused.status == 401, refused
    assert refused.json()["error"]["code"] in ("UNAUTHENTICATED", "UNAUTHORIZED"), refused
    page = anonymous.get("/", headers={"Accept": "text/html"})
    assert page.status == 200 and b"<html" in page.body.lower(), page


def test_a_registered_admin_sees_its_own_empty_tenant(tenant):
    collections = tenant.get("/v1/collections")
    assert collections.status == 200, collections
    assert collections.json()["collections"] == []


def test_an_answer_through_the_gateway_is_counted_in_the_orchestrators_token_metric(stack, tenant):
    answered = tenant.post("/v1/chat", {"message": "What do the documents say about harbours?"})
    assert answered.status in (200, 201), answered
    message = answered.json()["message"]
    assert message["prompt_tokens"] > 0 and message["completion_tokens"] > 0, message
    with urllib.request.urlopen(f"{stack.url(7)}/metrics", timeout=10) as page:
        metrics = page.read().decode()
    counted = {line.split("{")[1].split("}")[0]: float(line.rsplit(" ", 1)[1])
               for line in metrics.splitlines() if line.startswith("cairn_chat_tokens_total{")}
    assert counted.get('kind="prompt"', 0) >= message["prompt_tokens"], counted
    assert counted.get('kind="completion"', 0) >= message["completion_tokens"], counted


def test_a_key_that_may_chat_but_not_generate_is_refused_before_the_stream_starts(stack, tenant):
    made = tenant.post("/v1/api-keys", {"name": "chat only", "scopes": ["chat:create", "chat:read", "search:query"]})
    assert made.status == 201, made
    key = Client(stack.gateway, api_key=made.json()["key"])
    refused = key.post("/v1/chat", {"message": "What do the documents say about harbours?"},
                       headers={"Accept": "text/event-stream"})
    assert refused.status == 403, refused
    error = refused.json()["error"]
    assert error["code"] == "FORBIDDEN" and "generation:create" in error["message"], error
