"""`cairn.v1.DocumentSubmitted` as an outside producer writes it: protobuf wire format by hand.

The test must not share the services' encoder (it checks them), and a protobuf runtime plus
generated Python would be a second copy of the schemas: the few fields an outside producer sets
are written here, field numbers from Protos/cairn/v1/documents.proto and envelope.proto.
"""
import time
import uuid

SUBMITTED_TOPIC = "cairn.documents.submitted.v1"
SCHEMA_VERSION = 1


def _varint(value):
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number, value):
    """One field: a varint for ints, length-delimited for str, bytes (and nested messages)."""
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    data = value.encode() if isinstance(value, str) else value
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _event_meta(tenant_id, producer):
    now = time.time()
    timestamp = _field(1, int(now)) + _field(2, int((now % 1) * 1e9))
    return (_field(1, str(uuid.uuid4())) + _field(2, tenant_id) + _field(3, timestamp)
            + _field(4, SCHEMA_VERSION) + _field(5, producer))


def document_submitted(tenant_id, collection_id, document_id, text, title, external_id="", metadata=None,
                       content_type="text/plain", producer="e2e-kcat"):
    """The serialized event (inline `text` content) and its record key, `tenant_id/document_id`."""
    message = (_field(1, _event_meta(tenant_id, producer)) + _field(2, document_id) + _field(4, title)
               + _field(6, content_type) + _field(8, text) + _field(12, collection_id))
    if external_id:
        message += _field(3, external_id)
    for key, value in (metadata or {}).items():
        message += _field(9, _field(1, key) + _field(2, value))
    return message, f"{tenant_id}/{document_id}"
