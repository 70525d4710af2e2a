#!/usr/bin/env python3
"""Loads deploy/samples/*.txt (Markdown) into ingestion, for `make up`.

Logs in at auth as the bootstrap system admin, makes the collection `samples` in the platform
tenant (or finds it), and uploads every sample with its file name as external id: running it
again submits the same content, which ingestion treats as a no-op.

  load_samples.py <auth url> <ingestion url> <tenant slug> <email> <password> <samples dir>
"""
import json
import pathlib
import sys
import urllib.error
import urllib.request
import uuid


def call(method, url, token=None, body=None, content_type="application/json"):
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def main(auth, ingestion, slug, email, password, directory):
    status, login = call("POST", f"{auth}/v1/auth/login", body={"tenant": slug, "email": email, "password": password})
    if status != 200:
        sys.exit(f"load_samples: login failed ({status}): {login}")
    token = login["tokens"]["access_token"]
    tenant = login["user"]["tenant_id"]
    status, created = call("POST", f"{ingestion}/v1/collections?tenant_id={tenant}", token,
                           {"name": "samples", "description": "deploy/samples, loaded by make up"})
    if status == 201:
        collection = created["id"]
    elif status == 409:
        _, page = call("GET", f"{ingestion}/v1/collections?tenant_id={tenant}&limit=200", token)
        collection = next(c["id"] for c in page["collections"] if c["name"] == "samples")
    else:
        sys.exit(f"load_samples: creating the collection failed ({status}): {created}")
    accepted = 0
    for path in sorted(pathlib.Path(directory).glob("*.txt")):
        boundary = uuid.uuid4().hex
        fields = {"external_id": path.name, "title": path.stem, "source_uri": f"samples/{path.name}"}
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        )
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
                 f"Content-Type: text/markdown\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        status, answer = call("POST", f"{ingestion}/v1/collections/{collection}/documents?tenant_id={tenant}", token, body,
                              f"multipart/form-data; boundary={boundary}")
        if status != 202:
            sys.exit(f"load_samples: {path.name} refused ({status}): {answer}")
        accepted += 1
    print(f"samples: {accepted} documents submitted to collection {collection} (tenant {slug})")


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    main(*sys.argv[1:])
