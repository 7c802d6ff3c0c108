"""Go standard-library behaviours whose exact output reaches LND's error messages."""

from datetime import datetime, timezone
from decimal import Decimal


def hex_decode(text):
    """encoding/hex DecodeString; raises ValueError with Go's text (invalid byte before odd length)."""
    for char in text:
        if char not in "0123456789abcdefABCDEF":
            quoted = f" '{char}'" if char.isprintable() else ""
            raise ValueError(f"encoding/hex: invalid byte: U+{ord(char):04X}{quoted}")
    if len(text) % 2:
        raise ValueError("encoding/hex: odd length hex string")
    return bytes.fromhex(text)


def float_v(value):
    """fmt %v of a float64 (strconv 'g', shortest): exponent form if exp < -4 or exp >= 6."""
    if value == 0:
        return "0"
    number = Decimal(repr(value)).normalize()
    sign, digit_tuple, exponent = number.as_tuple()
    digits = "".join(map(str, digit_tuple))
    point = len(digits) - 1 + exponent
    if point < -4 or point >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{'-' if sign else ''}{mantissa}e{'+' if point >= 0 else '-'}{abs(point):02d}"
    return format(number, "f")


def time_v(unix_seconds):
    """fmt %v of a whole-second time.Time in UTC."""
    return datetime.fromtimestamp(unix_seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S +0000 UTC")
