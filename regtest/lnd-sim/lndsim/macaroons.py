"""Macaroons as LND checks them, modelled as opaque tokens mapped to permission sets.

Each node bakes three structurally valid V2 macaroons (location "lnd", an
identifier starting with bakery version byte 3, HMAC-SHA256 signature under the
node's root key). Parsing and the checks before the permission lookup follow
`macaroons/service.go` (`RawMacaroonFromContext`, `ValidateMacaroon`,
`CheckMacAuth`) and gopkg.in/macaroon.v2 `marshal-v2.go` / `packet-v2.go`, so
the error texts match. Permissions come from the `*Permissions` maps
(`rpcserver.go` `invoicePermissions`, `readPermissions`).
"""

import hashlib
import hmac
import os

from . import gofmt

ENTITIES = ("onchain", "offchain", "address", "message", "peers", "info", "invoices", "signer", "macaroon")

PERMISSIONS = {
    "admin": frozenset(f"{e}:{a}" for e in ENTITIES for a in ("read", "write")),
    "invoice": frozenset(
        {"invoices:read", "invoices:write", "address:read", "address:write", "onchain:read"}
    ),
    "readonly": frozenset(f"{e}:read" for e in ENTITIES),
}

SIGNATURE_MISMATCH = "verification failed: signature mismatch after caveat verification"


class MacaroonError(Exception):
    """Authentication failure; str() is LND's message (gRPC code Unknown)."""


def _uvarint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _packet(field_type, data):
    return _uvarint(field_type) + _uvarint(len(data)) + data


def bake(root_key, location="lnd"):
    """A fresh V2 macaroon without caveats: (raw bytes, identifier)."""
    identifier = b"\x03" + os.urandom(24)
    signature = _signature(root_key, identifier)
    raw = b"\x02" + _packet(1, location.encode()) + _packet(2, identifier) + b"\x00" + b"\x00"
    return raw + _packet(6, signature), identifier


def _signature(root_key, identifier):
    derived = hmac.new(b"macaroons-key-generator", root_key, hashlib.sha256).digest()
    return hmac.new(derived, identifier, hashlib.sha256).digest()


def _read_uvarint(data, pos):
    value, shift = 0, 0
    while True:
        if pos >= len(data):
            raise MacaroonError("unmarshal v2: varint value extends past end of buffer")
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos += 1
        if not byte & 0x80:
            break
        shift += 7
        if shift > 63:
            raise MacaroonError("unmarshal v2: varint value out of range")
    if value > 0x7FFFFFFF:
        raise MacaroonError("unmarshal v2: varint value out of range")
    return value, pos


def _read_packet(data, pos):
    field_type, pos = _read_uvarint(data, pos)
    if field_type == 0:
        return 0, b"", pos
    length, pos = _read_uvarint(data, pos)
    if length > len(data) - pos:
        raise MacaroonError("unmarshal v2: field data extends past end of buffer")
    return field_type, data[pos : pos + length], pos + length


def _read_section(data, pos):
    packets, previous = [], -1
    while True:
        if pos >= len(data):
            raise MacaroonError("unmarshal v2: section extends past end of buffer")
        field_type, payload, pos = _read_packet(data, pos)
        if field_type == 0:
            return packets, pos
        if field_type <= previous:
            raise MacaroonError("unmarshal v2: fields out of order")
        packets.append((field_type, payload))
        previous = field_type


def parse(raw):
    """Parse a binary macaroon: (identifier, signature). Raises MacaroonError."""
    if not raw:
        raise MacaroonError("empty macaroon data")
    if raw[0] != 2:
        if chr(raw[0]) in "0123456789abcdefABCDEF":
            raise MacaroonError("unmarshal v1: unknown macaroon version 1 encoding")
        raise MacaroonError("cannot determine data format of binary-encoded macaroon")
    header, pos = _read_section(raw, 1)
    if header and header[0][0] == 1:
        header = header[1:]
    if len(header) != 1 or header[0][0] != 2:
        raise MacaroonError("unmarshal v2: invalid macaroon header")
    while True:
        caveat, pos = _read_section(raw, pos)
        if not caveat:
            break
    field_type, signature, _ = _read_packet(raw, pos)
    if field_type != 6:
        raise MacaroonError("unmarshal v2: unexpected field found instead of signature")
    if len(signature) != 32:
        raise MacaroonError("unmarshal v2: signature has unexpected length")
    return header[0][1], signature


class MacaroonStore:
    """One node's root key and the permission set of each macaroon it baked."""

    def __init__(self):
        self.root_key = os.urandom(32)
        self._permissions = {}
        self.raw = {}

    def bake_all(self):
        """Bake admin, invoice and readonly macaroons; returns {kind: raw bytes}."""
        for kind, permissions in PERMISSIONS.items():
            raw, identifier = bake(self.root_key)
            self._permissions[identifier] = permissions
            self.raw[kind] = raw
        return self.raw

    def check(self, header_values, permission):
        """Validate the Grpc-Metadata-macaroon header values for one permission."""
        if len(header_values) != 1:
            raise MacaroonError(f"expected 1 macaroon, got {len(header_values)}")
        try:
            raw = gofmt.hex_decode(header_values[0])
        except ValueError as exc:
            raise MacaroonError(str(exc)) from None
        identifier, signature = parse(raw)
        if not identifier or identifier[0] != 3:
            raise MacaroonError("invalid ID")
        if not hmac.compare_digest(signature, _signature(self.root_key, identifier)):
            raise MacaroonError(SIGNATURE_MISMATCH)
        if permission not in self._permissions.get(identifier, frozenset()):
            raise MacaroonError("permission denied")
