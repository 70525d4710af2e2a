"""The `cairn` command-line tool against the running stack: login, ingest, ask and exit codes."""
import json
import os
import socket
import stat
import subprocess
import uuid

import pytest

from conftest import eventually

OK, FAILURE, USAGE, AUTHENTICATION, NOT_FOUND, LIMITED, UNREACHABLE = 0, 1, 2, 3, 4, 5, 6


@pytest.fixture(scope="module")
def cli(stack):
    path = stack.bin("cairn")
    assert path.exists(), f"{path} is not built (swift build --product cairn)"
    return path


@pytest.fixture
def cairn(cli, stack, tmp_path):
    """Runs `cairn` with a config directory of its own, pointed at the stack's gateway."""
    config_dir = tmp_path / "config"

    def run(*args, stdin=None, timeout=300):
        env = {k: v for k, v in os.environ.items() if k not in ("CAIRN_PASSWORD", "CAIRN_API_KEY", "CAIRN_PROFILE")}
        env.update(CAIRN_CONFIG_DIR=str(config_dir), CAIRN_SERVER=stack.gateway)
        return subprocess.run([str(cli), *args], env=env, input=stdin, text=True, capture_output=True, timeout=timeout)

    run.config_dir = config_dir
    return run


def login(cairn, tenant):
    done = cairn("login", "--tenant", tenant.tenant_slug, "--email", tenant.email, "--password-stdin", stdin=tenant.password + "\n")
    assert done.returncode == OK, done
    return done


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_login_keeps_a_private_profile_and_never_prints_secrets(cairn, tenant):
    done = login(cairn, tenant)
    config_file = cairn.config_dir / "config.json"
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    profile = json.loads(config_file.read_text())["profiles"]["default"]
    assert profile["tenant"] == tenant.tenant_slug and profile["email"] == tenant.email
    assert profile["access_token"] and profile["refresh_token"]
    for secret in (tenant.password, profile["access_token"], profile["refresh_token"]):
        assert secret not in done.stdout + done.stderr

    listed = cairn("collections", "list", "--json")
    assert listed.returncode == OK, listed
    assert listed.stdout.strip() == ""

    assert cairn("logout").returncode == OK
    after = cairn("collections", "list")
    assert after.returncode == AUTHENTICATION, after
    assert "not logged in" in after.stderr


def test_ingest_a_mixed_folder_then_ask_about_it(cairn, tenant, tmp_path):
    login(cairn, tenant)
    folder = tmp_path / "docs"
    (folder / "nested").mkdir(parents=True)
    fact = f"Quillfeather-{uuid.uuid4().hex[:6]}"
    (folder / "reactor.txt").write_text(
        f"The {fact} reactor was commissioned in 1987 by Captain Amelia Voss. "
        f"It produces 40 megawatts and is cooled by seawater from the northern bay.\n")
    (folder / "nested" / "garden.md").write_text("# Garden\n\nTomatoes need six hours of sun a day and weekly watering.\n")
    (folder / "nested" / "recipe.html").write_text(
        "<!doctype html><html><body><h1>Bread</h1><p>Knead the dough for ten minutes, then let it rise.</p></body></html>")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / ".hidden.txt").write_text("hidden files are skipped")

    done = cairn("ingest", str(folder), "--collection", "Library", "--create", "--json", "--timeout", "240")
    assert done.returncode == FAILURE, done  # one file is refused; the rest are indexed
    report = json.loads(done.stdout)
    files = {os.path.basename(entry["path"]): entry for entry in report["files"]}
    assert sorted(files) == ["garden.md", "logo.png", "reactor.txt", "recipe.html"], report
    for name in ("garden.md", "reactor.txt", "recipe.html"):
        assert files[name]["status"] == "indexed", files[name]
        assert files[name]["document_id"]
    assert files["logo.png"]["status"] == "failed" and files["logo.png"]["error_code"] == "UNSUPPORTED_MEDIA_TYPE", files["logo.png"]
    assert "document_id" not in files["logo.png"]
    assert report["indexed"] == 3 and report["failed"] == 1
    assert report["collection"]["name"] == "Library"
    assert "UNSUPPORTED_MEDIA_TYPE" in done.stderr and "\x1b[" not in done.stdout

    listed = tenant.get(f"/v1/documents?collection_id={report['collection']['id']}")
    assert {d["id"] for d in listed.json()["documents"]} == {files[n]["document_id"] for n in ("garden.md", "reactor.txt", "recipe.html")}

    asked = cairn("ask", f"When was the {fact} reactor commissioned?", "--collection", "Library")
    assert asked.returncode == OK, asked
    answer, _, sources = asked.stdout.partition("Sources:")
    assert "1987" in answer, asked.stdout
    assert files["reactor.txt"]["document_id"] in sources, asked.stdout

    as_json = cairn("ask", f"Who commissioned the {fact} reactor?", "--json")
    assert as_json.returncode == OK, as_json
    parsed = json.loads(as_json.stdout)
    assert "Voss" in parsed["answer"] and parsed["conversation_id"]
    assert files["reactor.txt"]["document_id"] in {s["document_id"] for s in parsed["sources"]}


def test_bad_credentials_exit_3_without_echoing_the_password(cairn, tenant):
    wrong = "Wrong-" + uuid.uuid4().hex
    done = cairn("login", "--tenant", tenant.tenant_slug, "--email", tenant.email, "--password-stdin", stdin=wrong + "\n")
    assert done.returncode == AUTHENTICATION, done
    assert "INVALID_CREDENTIALS" in done.stderr and "HTTP 401" in done.stderr and "request id" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert wrong not in done.stdout + done.stderr
    assert not (cairn.config_dir / "config.json").exists()


def test_an_unreachable_server_exits_6(cairn, tenant):
    login(cairn, tenant)
    done = cairn("usage", "--server", f"http://127.0.0.1:{closed_port()}")
    assert done.returncode == UNREACHABLE, done
    assert "cannot reach" in done.stderr
    assert cairn("usage").returncode == OK  # the profile's own server is untouched


def test_another_server_is_never_sent_the_profiles_credentials(cairn, stack, tenant):
    login(cairn, tenant)
    # The same gateway under another name is another server as far as the profile knows.
    elsewhere = stack.gateway.replace("127.0.0.1", "localhost")
    done = cairn("usage", "--server", elsewhere)
    assert done.returncode == AUTHENTICATION, done
    assert "HTTP 401" in done.stderr, done


def test_usage_errors_and_missing_collections_have_their_own_codes(cairn, tenant):
    assert cairn("ingest", "--collection", "x").returncode == USAGE
    assert cairn("no-such-command").returncode == USAGE
    login(cairn, tenant)
    missing = cairn("collections", "delete", "no-such-collection")
    assert missing.returncode == NOT_FOUND, missing


def test_an_exceeded_quota_exits_5_with_the_code(cairn, stack, tenant):
    admin = stack.system_admin()
    plan = f"cli-{uuid.uuid4().hex[:8]}"
    generous = {"per_minute": 100, "burst": 100, "tenant_per_minute": 1000}
    created = admin.post("/v1/plans", {"name": plan, "display_name": "CLI tiny", "price_cents": 0, "currency": "usd",
                                       "limits": {"messages_per_month": 0, "tokens_per_message": 2000, "api_calls_per_day": -1,
                                                  "documents": 0, "storage_mb": 10},
                                       "rate_limits": {"general": generous, "chat": generous, "search": generous}})
    assert created.status == 201, created
    subscribed = admin.post(f"/v1/tenants/{tenant.tenant_id}/subscription", {"plan": plan})
    assert subscribed.status == 201, subscribed

    login(cairn, tenant)

    def refused():
        done = cairn("ask", "Is anything left of my quota?")
        return done if done.returncode == LIMITED else None

    done = eventually(refused, timeout=60, interval=2, what="ask refused with exit 5")
    assert "QUOTA_EXCEEDED" in done.stderr and "HTTP 429" in done.stderr, done

    (cairn.config_dir.parent / "one.txt").write_text("One more document than the plan allows.\n")
    ingest = cairn("ingest", str(cairn.config_dir.parent / "one.txt"), "--collection", "Over", "--create", "--json")
    assert ingest.returncode == LIMITED, ingest
    entry = json.loads(ingest.stdout)["files"][0]
    assert entry["status"] == "failed" and entry["error_code"] == "QUOTA_EXCEEDED"
