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
