#!/usr/bin/env python3
"""Exit 0 when a Kafka broker really answers, not just accepts TCP.

Sends ApiVersions v0 and Metadata v1 over a raw socket (standard library
only, so it runs from any python3) and checks that ApiVersions has no error
and that Metadata advertises the expected host:port, i.e. clients that follow
the advertised address will reach this same broker.

usage: kafka_ready.py HOST PORT [--quiet]
"""
import socket
import struct
import sys


def request(sock, api_key, version, corr, body=b""):
    client = b"cairn-ready"
    header = struct.pack(">hhih", api_key, version, corr, len(client)) + client
    msg = header + body
    sock.sendall(struct.pack(">i", len(msg)) + msg)
    size = struct.unpack(">i", recv_exact(sock, 4))[0]
    data = recv_exact(sock, size)
    if struct.unpack_from(">i", data, 0)[0] != corr:
        raise RuntimeError("correlation id mismatch")
    return data, 4


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise RuntimeError("connection closed by broker")
        buf += chunk
    return buf


def read_str(data, off):
    (n,) = struct.unpack_from(">h", data, off)
    off += 2
    if n < 0:
        return None, off
    return data[off:off + n].decode(), off + n


def main():
    args = [a for a in sys.argv[1:] if a != "--quiet"]
    quiet = "--quiet" in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    host, port = args[0], int(args[1])
    try:
        with socket.create_connection((host, port), timeout=3) as sock:
            sock.settimeout(3)
            # ApiVersions v0 (key 18): error_code, [api_key, min, max]
            data, off = request(sock, 18, 0, 1)
            err, count = struct.unpack_from(">hi", data, off)
            if err != 0:
                raise RuntimeError(f"ApiVersions error_code={err}")
            keys = {struct.unpack_from(">h", data, off + 6 + 6 * i)[0] for i in range(count)}
            if 3 not in keys:
                raise RuntimeError("broker does not offer Metadata")
            # Metadata v1 (key 3), topics = null (all): brokers [id, host, port, rack]
            data, off = request(sock, 3, 1, 2, struct.pack(">i", -1))
            (nbrokers,) = struct.unpack_from(">i", data, off)
            off += 4
            brokers = []
            for _ in range(nbrokers):
                (node,) = struct.unpack_from(">i", data, off)
                bhost, off = read_str(data, off + 4)
                (bport,) = struct.unpack_from(">i", data, off)
                _, off = read_str(data, off + 4)
                brokers.append((node, bhost, bport))
    except (OSError, RuntimeError, struct.error) as exc:
        if not quiet:
            print(f"kafka not ready at {host}:{port}: {exc}", file=sys.stderr)
        return 1
    if not any(h == host and p == port for _, h, p in brokers):
        if not quiet:
            print(f"kafka at {host}:{port} advertises {brokers}, not itself", file=sys.stderr)
        return 1
    if not quiet:
        print(f"kafka ready at {host}:{port}: {len(keys)} APIs, brokers {brokers}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
