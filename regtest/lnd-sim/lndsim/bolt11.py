"""BOLT #11 invoices: bech32, encoding as LND's zpay32 writes it, decoding as zpay32 reads it.

Encoding follows `zpay32/encode.go` (field order p, d, h, m, c, x, f, r, n, s, 9;
amount in the shortest unit; signature = recoverable ECDSA over
sha256(hrp || data-as-bytes)). Decoding follows `zpay32/decode.go` and
`zpay32/bech32.go`, including their error texts, which LND returns verbatim
from DecodePayReq and SendPaymentV2.
"""

import hashlib
from dataclasses import dataclass, field

from . import secp256k1

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32_CONST, BECH32M_CONST = 1, 0x2BC830A3
MAX_INVOICE_LENGTH = 7089
SIGNATURE_BASE32_LEN = 104
DEFAULT_EXPIRY = 3600
DEFAULT_MIN_FINAL_CLTV = 18
MSAT_PER_BTC = 100_000_000_000


@dataclass(frozen=True)
class Network:
    """Chain parameters LND uses for invoices and fallback addresses."""

    name: str  # as GetInfo.chains[].network reports it
    chaincfg_name: str  # chaincfg.Params.Name, used in LND's error texts
    invoice_prefix: str  # text between "ln" and the amount
    segwit_hrp: str
    p2pkh_version: int
    p2sh_version: int


NETWORKS = {
    "mainnet": Network("mainnet", "mainnet", "bc", "bc", 0x00, 0x05),
    "testnet": Network("testnet", "testnet3", "tb", "tb", 0x6F, 0xC4),
    "testnet4": Network("testnet4", "testnet4", "tb", "tb", 0x6F, 0xC4),
    "signet": Network("signet", "signet", "tbs", "tb", 0x6F, 0xC4),
    "regtest": Network("regtest", "regtest", "bcrt", "bcrt", 0x6F, 0xC4),
}


class Bolt11Error(ValueError):
    """A decode or encode failure; str() is LND's error text."""


@dataclass(frozen=True)
class HopHint:
    """One hop of an `r` field."""

    node_id: bytes
    chan_id: int
    fee_base_msat: int
    fee_proportional_millionths: int
    cltv_expiry_delta: int


@dataclass
class Invoice:
    """A decoded (or to-be-encoded) BOLT #11 invoice."""

    network: Network
    payment_hash: bytes
    timestamp: int
    amount_msat: int | None = None
    payment_addr: bytes | None = None
    description: str | None = None
    description_hash: bytes | None = None
    metadata: bytes | None = None
    expiry: int | None = None
    min_final_cltv: int | None = None
    fallback_addr: str | None = None
    route_hints: list = field(default_factory=list)
    features: frozenset = frozenset()
    destination: bytes | None = None

    @property
    def expiry_seconds(self):
        """Expiry with zpay32's default applied."""
        return DEFAULT_EXPIRY if self.expiry is None else self.expiry

    @property
    def cltv_delta(self):
        """Min final CLTV delta with zpay32's default applied."""
        return DEFAULT_MIN_FINAL_CLTV if self.min_final_cltv is None else self.min_final_cltv


# --- bech32 -----------------------------------------------------------------


def _polymod(values):
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            chk ^= generator[i] if (top >> i) & 1 else 0
    return chk


def _hrp_expand(hrp):
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _checksum(hrp, data, const=BECH32_CONST):
    polymod = _polymod(_hrp_expand(hrp) + list(data) + [0] * 6) ^ const
    return [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]


def bech32_encode(hrp, data, const=BECH32_CONST):
    """Encode 5-bit words with a bech32 (or bech32m) checksum; no length limit."""
    return hrp + "1" + "".join(CHARSET[d] for d in list(data) + _checksum(hrp, data, const))


def convert_bits(data, from_bits, to_bits, pad):
    """Regroup bits like btcutil's bech32.ConvertBits."""
    acc, bits, out = 0, 0, []
    maxv = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if pad and bits:
        out.append((acc << (to_bits - bits)) & maxv)
    elif not pad and (bits >= from_bits or (acc << (to_bits - bits)) & maxv):
        raise Bolt11Error("invalid incomplete group")
    return out


def _decode_bech32(bech):
    """zpay32.decodeBech32: returns (hrp, data words without checksum)."""
    if len(bech) < 8:
        raise Bolt11Error(f"invalid bech32 string length {len(bech)}")
    for ch in bech:
        if not 33 <= ord(ch) <= 126:
            raise Bolt11Error(f"invalid character in string: '{ch}'")
    if bech not in (bech.lower(), bech.upper()):
        raise Bolt11Error("string not all lowercase or all uppercase")
    bech = bech.lower()
    one = bech.rfind("1")
    if one < 1 or one + 7 > len(bech):
        raise Bolt11Error("invalid index of 1")
    hrp, chars = bech[:one], bech[one + 1 :]
    for ch in chars:
        if ch not in CHARSET:
            raise Bolt11Error(
                f"failed converting data to bytes: invalid character not part of charset: {ord(ch)}"
            )
    decoded = [CHARSET.index(ch) for ch in chars]
    if _polymod(_hrp_expand(hrp) + decoded) != BECH32_CONST:
        expected = "".join(CHARSET[d] for d in _checksum(hrp, decoded[:-6]))
        raise Bolt11Error(f"checksum failed. Expected {expected}, got {bech[-6:]}.")
    return hrp, decoded[:-6]


# --- addresses (fallback field) ---------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58check_encode(payload):
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    num = int.from_bytes(data, "big")
    text = ""
    while num:
        num, rem = divmod(num, 58)
        text = _B58[rem] + text
    return "1" * (len(data) - len(data.lstrip(b"\x00"))) + text


def _base58check_decode(text):
    num = 0
    for ch in text:
        if ch not in _B58:
            raise Bolt11Error("invalid format: version and/or checksum bytes missing")
        num = num * 58 + _B58.index(ch)
    body = num.to_bytes((num.bit_length() + 7) // 8, "big")
    data = b"\x00" * (len(text) - len(text.lstrip("1"))) + body
    if len(data) < 5 or hashlib.sha256(hashlib.sha256(data[:-4]).digest()).digest()[:4] != data[-4:]:
        raise Bolt11Error("checksum mismatch")
    return data[:-4]


def encode_address(network, version, program):
    """Bitcoin address string for a fallback field (version 0-16 segwit, 17 p2pkh, 18 p2sh)."""
    if version == 17:
        return _base58check_encode(bytes([network.p2pkh_version]) + program)
    if version == 18:
        return _base58check_encode(bytes([network.p2sh_version]) + program)
    const = BECH32_CONST if version == 0 else BECH32M_CONST
    return bech32_encode(network.segwit_hrp, [version] + convert_bits(program, 8, 5, True), const)


def decode_address(network, address):
    """Inverse of encode_address: returns (fallback version, program bytes)."""
    lowered = address.lower()
    if lowered.startswith(network.segwit_hrp + "1"):
        hrp_len = len(network.segwit_hrp)
        words = [CHARSET.find(c) for c in lowered[hrp_len + 1 :]]
        if -1 in words or len(words) < 7:
            raise Bolt11Error("invalid fallback address: invalid character")
        const = _polymod(_hrp_expand(network.segwit_hrp) + words)
        version = words[0]
        if const != (BECH32_CONST if version == 0 else BECH32M_CONST):
            raise Bolt11Error("invalid fallback address: invalid checksum")
        return version, bytes(convert_bits(words[1:-6], 5, 8, False))
    payload = _base58check_decode(address)
    if payload[0] == network.p2pkh_version and len(payload) == 21:
        return 17, payload[1:]
    if payload[0] == network.p2sh_version and len(payload) == 21:
        return 18, payload[1:]
    raise Bolt11Error(f"fallback address is not for {network.chaincfg_name}")


# --- encoding ----------------------------------------------------------------


def _uint_to_base32(num):
    """zpay32.uint64ToBase32: minimal big-endian 5-bit groups, at least one."""
    words = []
    while num:
        words.insert(0, num & 31)
        num >>= 5
    return words or [0]


def _tagged(tag, words):
    return [CHARSET.index(tag), len(words) >> 5, len(words) & 31] + list(words)


def _encode_amount(msat):
    """zpay32.encodeAmount: shortest of BTC, m, u, n, p representations."""
    if msat % MSAT_PER_BTC == 0:
        return str(msat // MSAT_PER_BTC)
    candidates = [f"{msat * 10}p"]
    for unit, per in (("m", 100_000_000), ("u", 100_000), ("n", 100)):
        if msat % per == 0:
            candidates.append(f"{msat // per}{unit}")
    return min(candidates, key=len)


def _features_to_base32(bits):
    if not bits:
        return []
    value = sum(1 << b for b in bits)
    length = (max(bits) + 5) // 5
    return [(value >> (5 * (length - 1 - i))) & 31 for i in range(length)]


def _route_hint_words(route):
    raw = b"".join(
        h.node_id
        + h.chan_id.to_bytes(8, "big")
        + h.fee_base_msat.to_bytes(4, "big")
        + h.fee_proportional_millionths.to_bytes(4, "big")
        + h.cltv_expiry_delta.to_bytes(2, "big")
        for h in route
    )
    return convert_bits(raw, 8, 5, True)


def _tagged_fields(inv):
    words = _tagged("p", convert_bits(inv.payment_hash, 8, 5, True))
    if inv.description is not None:
        words += _tagged("d", convert_bits(inv.description.encode(), 8, 5, True))
    if inv.description_hash is not None:
        words += _tagged("h", convert_bits(inv.description_hash, 8, 5, True))
    if inv.metadata is not None:
        words += _tagged("m", convert_bits(inv.metadata, 8, 5, True))
    if inv.min_final_cltv is not None:
        words += _tagged("c", _uint_to_base32(inv.min_final_cltv))
    if inv.expiry is not None:
        words += _tagged("x", _uint_to_base32(inv.expiry))
    if inv.fallback_addr is not None:
        version, program = decode_address(inv.network, inv.fallback_addr)
        words += _tagged("f", [version] + convert_bits(program, 8, 5, True))
    for route in inv.route_hints:
        words += _tagged("r", _route_hint_words(route))
    if inv.payment_addr is not None:
        words += _tagged("s", convert_bits(inv.payment_addr, 8, 5, True))
    if inv.features:
        words += _tagged("9", _features_to_base32(inv.features))
    return words


def _hrp(inv):
    """Human-readable part: ln + network prefix + optional amount."""
    hrp = "ln" + inv.network.invoice_prefix
    return hrp + (_encode_amount(inv.amount_msat) if inv.amount_msat else "")


def encode(inv, privkey):
    """Encode and sign an invoice with the node key (no `n` field, like LND)."""
    data = _uint_to_base32(inv.timestamp)
    data = [0] * (7 - len(data)) + data + _tagged_fields(inv)
    hrp = _hrp(inv)
    digest = hashlib.sha256(hrp.encode() + bytes(convert_bits(data, 5, 8, True))).digest()
    signature, recid = secp256k1.sign_recoverable(privkey, digest)
    return bech32_encode(hrp, data + convert_bits(signature + bytes([recid]), 8, 5, True))


# --- decoding ----------------------------------------------------------------


def _words_to_int(words):
    value = 0
    for word in words:
        value = value << 5 | word
    return value


def _base32_to_uint(words):
    """zpay32.base32ToUint64."""
    if len(words) > 13:
        raise Bolt11Error(f"cannot parse data of length {len(words)} as uint64")
    return _words_to_int(words)


def _decode_amount(text):
    """zpay32.decodeAmount."""
    if not text:
        raise Bolt11Error("amount must be non-empty")
    if text[-1].isdigit():
        if not text.isdigit():
            raise Bolt11Error(f'strconv.ParseUint: parsing "{text}": invalid syntax')
        return int(text) * MSAT_PER_BTC
    multipliers = {"m": 100_000_000, "u": 100_000, "n": 100}
    unit, number = text[-1], text[:-1]
    if unit not in multipliers and unit != "p":
        raise Bolt11Error(f"unknown multiplier {unit}")
    if not number:
        raise Bolt11Error("number must be non-empty")
    if not number.isdigit():
        raise Bolt11Error(f'strconv.ParseUint: parsing "{number}": invalid syntax')
    if unit != "p":
        return int(number) * multipliers[unit]
    pico = int(number)
    if pico < 10:
        raise Bolt11Error("minimum amount is 10p")
    if pico % 10:
        raise Bolt11Error(f"amount {pico} pBTC not expressible in msat")
    return pico // 10


def _parse_32_bytes(words):
    return bytes(convert_bits(words, 5, 8, False)) if len(words) == 52 else None


def _parse_route_hint(words):
    raw = bytes(convert_bits(words, 5, 8, False))
    if len(raw) % 51:
        raise Bolt11Error("length is not a multiple of hop hint size")
    if not raw:
        raise Bolt11Error("route hint field contains no hop data")
    hops = []
    for i in range(0, len(raw), 51):
        chunk = raw[i : i + 51]
        secp256k1.parse_pubkey(chunk[:33])
        hops.append(
            HopHint(
                chunk[:33],
                int.from_bytes(chunk[33:41], "big"),
                int.from_bytes(chunk[41:45], "big"),
                int.from_bytes(chunk[45:49], "big"),
                int.from_bytes(chunk[49:51], "big"),
            )
        )
    return hops


def _parse_features(words):
    value = _words_to_int(words)
    return frozenset(bit for bit in range(len(words) * 5) if value >> bit & 1)


def _parse_fallback(words, network):
    if len(words) < 2:
        raise Bolt11Error("empty fallback address field")
    version, program = words[0], bytes(convert_bits(words[1:], 5, 8, False))
    if version == 0 and len(program) not in (20, 32):
        raise Bolt11Error(f"unknown witness program length {len(program)}")
    if version in (0, 1, 17, 18):
        return encode_address(network, version, program)
    return None


def _apply_field(inv, tag, words, seen):
    """Apply one tagged field; first occurrence wins, as in zpay32."""
    if tag == "r":
        inv.route_hints.append(_parse_route_hint(words))
        return
    if tag in seen:
        return
    parsers = {
        "p": lambda: ("payment_hash", _parse_32_bytes(words)),
        "s": lambda: ("payment_addr", _parse_32_bytes(words)),
        "d": lambda: ("description", _parse_description(words)),
        "m": lambda: ("metadata", bytes(convert_bits(words, 5, 8, False))),
        "n": lambda: ("destination", bytes(convert_bits(words, 5, 8, False)) if len(words) == 53 else None),
        "h": lambda: ("description_hash", _parse_32_bytes(words)),
        "x": lambda: ("expiry", _base32_to_uint(words)),
        "c": lambda: ("min_final_cltv", _base32_to_uint(words)),
        "f": lambda: ("fallback_addr", _parse_fallback(words, inv.network)),
        "9": lambda: ("features", _parse_features(words)),
    }
    if tag not in parsers:
        return
    name, value = parsers[tag]()
    if value is not None:
        seen.add(tag)
        setattr(inv, name, value)


def _parse_description(words):
    try:
        return bytes(convert_bits(words, 5, 8, False)).decode()
    except UnicodeDecodeError:
        raise Bolt11Error("description is not valid UTF-8") from None


def _parse_tagged_fields(inv, words):
    index, seen = 0, set()
    while index < len(words):
        if len(words) - index < 3:
            raise Bolt11Error("last tagged field is broken")
        tag = CHARSET[words[index]]
        length = words[index + 1] << 5 | words[index + 2]
        if len(words) < index + 3 + length:
            raise Bolt11Error("invalid field length")
        _apply_field(inv, tag, words[index + 3 : index + 3 + length], seen)
        index += 3 + length


def _validate(inv):
    """zpay32.validateInvoice."""
    if inv.payment_hash is None:
        raise Bolt11Error("no payment hash found")
    if inv.description is not None and inv.description_hash is not None:
        raise Bolt11Error("both description and description hash set")
    if inv.description is None and inv.description_hash is None:
        raise Bolt11Error("neither description nor description hash set")


def _verify_signature(inv, hrp, data_words, sig_words):
    sig = bytes(convert_bits(sig_words, 5, 8, True))
    digest = hashlib.sha256(hrp.encode() + bytes(convert_bits(data_words, 5, 8, True))).digest()
    try:
        if inv.destination is not None:
            if not secp256k1.verify(inv.destination, sig[:64], digest):
                raise Bolt11Error("invalid invoice signature")
            return
        inv.destination = secp256k1.recover_pubkey(sig[:64], sig[64], digest)
    except secp256k1.Secp256k1Error as exc:
        raise Bolt11Error(str(exc)) from None


def decode(text, network):
    """Decode and verify an invoice for `network`, raising Bolt11Error with LND's text."""
    if len(text) > MAX_INVOICE_LENGTH:
        raise Bolt11Error("invoice is too large")
    hrp, data = _decode_bech32(text)
    if len(hrp) < 3:
        raise Bolt11Error("hrp too short")
    if hrp[:2] != "ln":
        raise Bolt11Error('prefix should be "ln"')
    if not hrp[2:].startswith(network.invoice_prefix):
        raise Bolt11Error(f"invoice not for current active network '{network.chaincfg_name}'")
    amount_text = hrp[2 + len(network.invoice_prefix) :]
    amount = _decode_amount(amount_text) if amount_text else None
    if len(data) < SIGNATURE_BASE32_LEN:
        raise Bolt11Error("short invoice")
    body, sig_words = data[:-SIGNATURE_BASE32_LEN], data[-SIGNATURE_BASE32_LEN:]
    if len(body) < 7:
        raise Bolt11Error(f"data too short: {len(body)}")
    inv = Invoice(network=network, payment_hash=None, timestamp=_base32_to_uint(body[:7]), amount_msat=amount)
    _parse_tagged_fields(inv, body[7:])
    _verify_signature(inv, hrp, body, sig_words)
    _validate(inv)
    return inv
