"""The web app in a real browser: headless Chromium (Debian's) driven by Playwright's sync API.

Playwright's own browser download is not reachable here, so it launches the system Chromium
(CAIRN_E2E_CHROMIUM, /usr/bin/chromium by default). Every page's console errors and uncaught
exceptions are collected for the whole test and must stay empty. Screenshots of each screen go
to CAIRN_E2E_ARTIFACTS (.run/e2e-artifacts by default): test artifacts, not committed.
"""
import os
import pathlib
import uuid

import pytest

from conftest import REPO, eventually

# A machine that skipped the browser in deploy/local/deps.sh (CAIRN_SKIP_BROWSER=1) skips these
# tests; anywhere else a missing Playwright or Chromium is a failure, not a silent skip.
if os.environ.get("CAIRN_SKIP_BROWSER") == "1":
    pytest.skip("CAIRN_SKIP_BROWSER=1: no browser on this machine", allow_module_level=True)
from playwright import sync_api  # noqa: E402  (after the skip above)

expect = sync_api.expect

CHROMIUM = os.environ.get("CAIRN_E2E_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = pathlib.Path(os.environ.get("CAIRN_E2E_ARTIFACTS", REPO / ".run" / "e2e-artifacts"))
INDEXING_TIMEOUT_MS = 120_000
ANSWER_TIMEOUT_MS = 90_000

SCRIPT_PAYLOAD = "<script>window.__xss=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__xss=1">'

GUIDE = (
    "The Halvard lighthouse keeper winds the clockwork lens every four hours during the night. "
    "The Halvard lighthouse was built in 1871 from granite quarried on the island of Skarv. "
    "Visitors may climb the tower on Saturdays between May and September.\n"
)
XSS_DOCUMENT = (
    f"The Zephyr gasket {SCRIPT_PAYLOAD} tolerates a pressure of forty bar at room temperature. "
    f"The Zephyr gasket {IMG_PAYLOAD} is moulded from fluorinated viton rubber.\n"
)
XSS_TITLE = f"Gasket sheet {SCRIPT_PAYLOAD} {IMG_PAYLOAD}"


@pytest.fixture(scope="module")
def browser():
    assert pathlib.Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM} (deploy/local/deps.sh installs Debian's chromium)"
    with sync_api.sync_playwright() as playwright:
        # --no-sandbox: the suite may run as root (CI containers), where Chromium's sandbox refuses to start.
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


class BrowserTab:
    """One browser tab on the gateway, with every console error and page error it reports."""

    def __init__(self, browser, stack, name, viewport=None):
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800}, base_url=stack.gateway)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.name = name
        self.problems = []
        self.page.on("console", lambda message: message.type == "error"
                     and self.problems.append(f"console {message.text} at {message.location}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"page error {error}"))

    def screenshot(self, screen):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{screen}.png"))

    def open(self, nav_label, heading):
        """Follows a link of the main navigation and waits for the screen's heading."""
        self.page.get_by_role("navigation", name="Main").get_by_role("link", name=nav_label).click()
        expect(self.page.get_by_role("heading", level=1, name=heading)).to_be_visible()

    def assert_no_problems(self):
        assert self.problems == [], "the browser reported errors:\n" + "\n".join(self.problems)


@pytest.fixture
def tab(browser, stack, request):
    opened = BrowserTab(browser, stack, request.node.name)
    yield opened
    opened.context.close()


def sign_in(page, tenant):
    page.goto("/")
    page.get_by_label("Organisation").fill(tenant.tenant_slug)
    page.get_by_label("Email").fill(tenant.email)
    page.get_by_label("Password").fill(tenant.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Chat")).to_be_visible()


def ask(page, question):
    """Asks in the chat composer; answers the assistant's message once it has finished streaming."""
    page.get_by_label("Your question").fill(question)
    with page.expect_response(lambda r: r.url.endswith("/v1/chat") and r.request.method == "POST") as asked:
        page.get_by_label("Your question").press("Enter")
    answer = page.locator("article.msg-assistant").last
    expect(answer).to_have_attribute("aria-busy", "false", timeout=ANSWER_TIMEOUT_MS)
    return asked.value, answer


def test_sign_up_upload_ask_and_visit_every_screen(stack, tab):
    page = tab.page
    page.goto("/")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    tab.screenshot("sign-in")

    page.get_by_role("link", name="Register an organisation").click()
    expect(page.get_by_role("heading", level=1, name="Sign up")).to_be_visible()
    email = f"web-{uuid.uuid4().hex[:8]}@e2e.example"
    page.get_by_label("Organisation").fill(f"Web {uuid.uuid4().hex[:8]}")
    page.get_by_label("Your name (optional)").fill("Wendy Web")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("Tangerine-" + uuid.uuid4().hex[:12])
    tab.screenshot("sign-up")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", name="Welcome to Cairn")).to_be_visible()
    expect(page.locator("#whoami")).to_contain_text("Wendy Web")

    # Documents: a collection (a new organisation has none), then an upload through the file input.
    page.get_by_role("link", name="Add documents").click()
    expect(page.get_by_role("heading", level=1, name="Documents")).to_be_visible()
    collections = page.get_by_role("complementary", name="Collections")
    expect(collections.get_by_role("listitem").first).to_be_visible()  # the list has loaded
    if collections.get_by_text("No collections yet").is_visible():
        collections.get_by_label("Name", exact=True).fill("Handbooks")
        collections.get_by_role("button", name="Create").click()
    expect(page.locator("#col-title")).to_have_text("Handbooks")
    page.get_by_label("Choose files").set_input_files(
        {"name": "halvard-lighthouse.txt", "mimeType": "text/plain", "buffer": GUIDE.encode()})
    row = page.locator("tr", has_text="halvard-lighthouse.txt")
    expect(row.locator(".status")).to_have_text("indexed", timeout=INDEXING_TIMEOUT_MS)
    tab.screenshot("documents")

    # Chat: a streamed answer quoting the document, and its source card.
    tab.open("Chat", "Chat")
    response, answer = ask(page, "How often does the Halvard lighthouse keeper wind the clockwork lens?")
    assert response.status == 200
    assert "text/event-stream" in response.headers.get("content-type", "")
    expect(answer.locator(".msg-body")).to_contain_text("winds the clockwork lens every four hours")
    card = answer.locator(".source-card").first
    expect(card).to_contain_text("halvard-lighthouse.txt")
    expect(answer.get_by_role("button", name="Copy")).to_be_visible()
    expect(page.get_by_role("button", name="Stop generating")).to_be_hidden()
    conversations = page.get_by_role("complementary", name="Conversations")
    expect(conversations.get_by_role("link")).to_have_count(1)
    expect(conversations.get_by_role("button", name="Load more")).to_be_hidden()
    tab.screenshot("chat")
    card.click()
    passage = page.locator("dialog[open]")
    expect(passage.get_by_role("heading", name="halvard-lighthouse.txt")).to_be_visible()
    expect(passage.locator("blockquote")).to_contain_text("clockwork lens")
    passage.get_by_role("button", name="Close").click()
    expect(passage).to_have_count(0)

    tab.open("Usage", "Usage")
    expect(page.get_by_role("region", name="This period").locator(".quota").first).to_be_visible()
    expect(page.locator("svg.bars")).to_be_visible()
    tab.screenshot("usage")

    tab.open("Admin", "Admin")
    expect(page.get_by_role("cell", name=email)).to_be_visible()
    tab.screenshot("admin")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    tab.assert_no_problems()


def test_document_and_answer_payloads_render_as_text(stack, tenant, tab):
    collection = tenant.post("/v1/collections", {"name": "XSS"})
    assert collection.status == 201, collection
    collection_id = collection.json()["id"]
    accepted = tenant.upload(f"/v1/collections/{collection_id}/documents", "gasket.txt", XSS_DOCUMENT.encode(),
                             fields={"title": XSS_TITLE})
    assert accepted.status in (201, 202), accepted
    document_id = accepted.json()["document_id"]

    def indexed():
        status = tenant.get(f"/v1/documents/{document_id}").json()["status"]
        assert status != "failed"
        return status == "indexed"
    eventually(indexed, timeout=INDEXING_TIMEOUT_MS / 1000, what="the payload document is indexed")

    page = tab.page
    sign_in(page, tenant)

    tab.open("Documents", "Documents")
    expect(page.get_by_role("cell", name=XSS_TITLE, exact=True)).to_be_visible()

    tab.open("Chat", "Chat")
    _, answer = ask(page, "What pressure does the Zephyr gasket tolerate, and what is it moulded from?")
    body = answer.locator(".msg-body")
    expect(body).to_contain_text(SCRIPT_PAYLOAD)
    expect(body).to_contain_text(IMG_PAYLOAD)
    card = answer.locator(".source-card").first
    expect(card).to_contain_text(XSS_TITLE)
    expect(card).to_contain_text(SCRIPT_PAYLOAD)
    card.click()
    expect(page.locator("dialog[open] blockquote")).to_contain_text(IMG_PAYLOAD)
    tab.screenshot("xss")

    assert page.evaluate("typeof window.__xss") == "undefined"
    # The payloads are text: no element was made from them anywhere in the page.
    assert page.locator("main script, dialog script").count() == 0
    assert page.locator("img[src='x'], img[onerror]").count() == 0
    tab.assert_no_problems()


def test_phone_width_and_dark_theme(browser, stack, tenant, request):
    phone = BrowserTab(browser, stack, request.node.name, viewport={"width": 390, "height": 844})
    try:
        page = phone.page
        sign_in(page, tenant)
        toggle = page.get_by_role("button", name="Dark theme")
        expect(toggle).to_have_attribute("aria-pressed", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), background
        for nav_label in ("Chat", "Documents", "Usage", "Admin"):
            phone.open(nav_label, nav_label)
            page.wait_for_load_state("networkidle")
            # Nothing wider than the phone: no sideways scrolling.
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, nav_label
            phone.screenshot(f"phone-{nav_label.lower()}")
        phone.assert_no_problems()
    finally:
        phone.context.close()


def test_an_invited_person_joins_the_organisation_with_the_token(stack, tenant, tab):
    invited = f"ivy-{uuid.uuid4().hex[:8]}@e2e.example"
    made = tenant.post("/v1/users/invitations", {"email": invited, "role": "member"})
    assert made.status == 201, made
    page = tab.page
    page.goto("/#/signup")
    expect(page.get_by_role("heading", level=1, name="Sign up")).to_be_visible()
    page.get_by_label("Invitation token (when invited)").fill(made.json()["invitation_token"])
    expect(page.get_by_label("Organisation")).to_be_disabled()
    page.get_by_label("Your name (optional)").fill("Ivy Invited")
    page.get_by_label("Password").fill("Tangerine-" + uuid.uuid4().hex[:12])
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", name="Welcome to Cairn")).to_be_visible()
    expect(page.locator("#whoami")).to_contain_text("Ivy Invited")
    users = tenant.get("/v1/users")
    assert users.status == 200, users
    joined = [user for user in users.json()["users"] if user["email"] == invited]
    assert joined and joined[0]["role"] == "member", users
    tab.assert_no_problems()
