#!/usr/bin/env python3
"""Makes the demo organisation and loads deploy/samples/*.txt (Markdown) into it, for `make up`.

Everything goes through the gateway, as a user would: signs in as the demo organisation's admin
(or registers the organisation `Demo` with that admin on the first run), makes the collection
`samples` (or finds it), and uploads every sample with its file name as external id: running it
again submits the same content, which ingestion treats as a no-op.

  load_samples.py <gateway url> <demo email> <demo password> <samples dir>
"""
import json
import pathlib
import sys
import urllib.error
import urllib.request
import uuid

DEMO_ORGANISATION = "Demo"
DEMO_SLUG = "demo"


def call(method, url, token=None, body=None, content_type="application/json"):
    headers = {"Content-Type": content_type, "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def sign_in(gateway, email, password):
    """The demo admin's access token: a login, or on the first run a registration."""
    status, session = call("POST", f"{gateway}/v1/auth/login", body={"tenant": DEMO_SLUG, "email": email, "password": password})
    if status == 200:
        return session["tokens"]["access_token"]
    status, registration = call("POST", f"{gateway}/v1/auth/register", body={
        "organisation": DEMO_ORGANISATION, "email": email, "password": password, "display_name": "Demo Admin"})
    if status != 201:
        sys.exit(f"load_samples: neither login nor registration of the demo organisation worked ({status}): {registration}")
    slug = registration.get("tenant", {}).get("slug")
    if slug != DEMO_SLUG:
        sys.exit(f"load_samples: the organisation {DEMO_ORGANISATION} was registered as {slug!r}, not {DEMO_SLUG!r}")
    return registration["tokens"]["access_token"]


def title_of(path):
    """The first Markdown heading, else the file name."""
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("# "):
            return line[2:].strip()[:200]
    return path.stem


def upload(gateway, token, collection, path):
    boundary = uuid.uuid4().hex
    fields = {"external_id": path.name, "title": title_of(path), "source_uri": f"samples/{path.name}"}
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
             f"Content-Type: text/markdown\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    status, answer = call("POST", f"{gateway}/v1/collections/{collection}/documents", token, body,
                          f"multipart/form-data; boundary={boundary}")
    if status != 202:
        sys.exit(f"load_samples: {path.name} refused ({status}): {answer}")


def main(gateway, email, password, directory):
    token = sign_in(gateway, email, password)
    status, created = call("POST", f"{gateway}/v1/collections", token,
                           {"name": "samples", "description": "deploy/samples, loaded by make up"})
    if status == 201:
        collection = created["id"]
    elif status == 409:
        _, page = call("GET", f"{gateway}/v1/collections?limit=200", token)
        collection = next(c["id"] for c in page["collections"] if c["name"] == "samples")
    else:
        sys.exit(f"load_samples: creating the collection failed ({status}): {created}")
    paths = sorted(pathlib.Path(directory).glob("*.txt"))
    for path in paths:
        upload(gateway, token, collection, path)
    print(f"samples: {len(paths)} documents submitted to collection {collection} of the organisation {DEMO_SLUG}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
