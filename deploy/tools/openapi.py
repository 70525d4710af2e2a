#!/usr/bin/env python3
"""Turns openapi.yaml into the Swift source the gateway serves at /openapi.json.

    $CAIRN_VENV/bin/python deploy/tools/openapi.py           # writes the Swift file
    $CAIRN_VENV/bin/python deploy/tools/openapi.py --check   # exit 1 if it is out of date

Needs PyYAML. Before writing (or checking) it verifies that the document's operations are
exactly the gateway's own routes plus the rows of PublicRoute+Table.swift, so the two cannot
drift apart unnoticed.
"""

import argparse
import json
import pathlib
import re
import sys

import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
SOURCE = REPO / "openapi.yaml"
ROUTING = REPO / "Services" / "Gateway" / "GatewayApp" / "Routing"
TARGET = ROUTING / "OpenAPIDocument.swift"
TABLE = ROUTING / "PublicRoute+Table.swift"

# Served by the gateway itself, not listed in the route table.
GATEWAY_OPERATIONS = {("GET", "/health"), ("GET", "/ready"), ("GET", "/openapi.json")}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
ROW = re.compile(r'\.init\(\s*method:\s*\.(\w+)\s*,\s*path:\s*"([^"]+)"')
INDENT = "    "


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _mapping_without_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def load_document():
    with SOURCE.open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=_UniqueKeyLoader)
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        raise SystemExit(f"{SOURCE.name}: not an OpenAPI 3.1 document")
    return document


def document_operations(document):
    return {
        (method.upper(), path)
        for path, item in (document.get("paths") or {}).items()
        for method in item
        if method in HTTP_METHODS
    }


def table_operations():
    return {(method.upper(), path) for method, path in ROW.findall(TABLE.read_text(encoding="utf-8"))}


def check_routes(document):
    """The document lists exactly the gateway's routes: its own and the table's."""
    expected = GATEWAY_OPERATIONS | table_operations()
    listed = document_operations(document)
    problems = [f"  missing from {SOURCE.name}: {m} {p}" for m, p in sorted(expected - listed)]
    problems += [f"  not in {TABLE.name}: {m} {p}" for m, p in sorted(listed - expected)]
    if problems:
        print(f"{SOURCE.name} and the route table disagree:", *problems, sep="\n", file=sys.stderr)
        raise SystemExit(1)


def render_swift(document):
    # allow_nan=False: JSON has no NaN; a failure here is a mistake in the YAML (a date left
    # unquoted, say, fails too: json cannot encode it).
    text = json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False)
    # A raw string `#"""` ends at `"""#` and interpolates `\#(`: take enough #s that the JSON
    # contains neither.
    hashes = "#"
    while f'"""{hashes}' in text or f"\\{hashes}" in text:
        hashes += "#"
    body = "\n".join(INDENT * 2 + line if line else line for line in text.splitlines())
    return (
        "// Generated from openapi.yaml by deploy/tools/openapi.py; do not edit.\n"
        "enum OpenAPIDocument {\n"
        f'{INDENT}static let json = {hashes}"""\n'
        f"{body}\n"
        f'{INDENT * 2}"""{hashes}\n'
        "}\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the Swift file is out of date; write nothing")
    arguments = parser.parse_args()

    document = load_document()
    check_routes(document)
    swift = render_swift(document)
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else None
    relative = TARGET.relative_to(REPO)
    if arguments.check:
        if current != swift:
            print(f"{relative} is out of date: run deploy/tools/openapi.py", file=sys.stderr)
            return 1
        return 0
    if current != swift:
        TARGET.write_text(swift, encoding="utf-8")
        print(f"wrote {relative}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
