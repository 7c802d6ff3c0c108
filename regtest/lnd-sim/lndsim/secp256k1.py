"""Pure-Python secp256k1: keys, RFC 6979 recoverable ECDSA, public key recovery.

Slow but dependency-free; good enough to sign simulator invoices. Signatures
are deterministic (RFC 6979, like btcec's SignCompact that LND uses) and
normalised to low-S with the recovery id adjusted accordingly.
"""

import hashlib
import hmac

P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (
    0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
    0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
)


class Secp256k1Error(ValueError):
    """Raised for invalid keys, points or signatures."""


def _jacobian_double(pt):
    x, y, z = pt
    if y == 0:
        return (0, 0, 0)
    ysq = y * y % P
    s = 4 * x * ysq % P
    m = 3 * x * x % P
    nx = (m * m - 2 * s) % P
    ny = (m * (s - nx) - 8 * ysq * ysq) % P
    return (nx, ny, 2 * y * z % P)


def _jacobian_add(p1, p2):
    if p1[2] == 0:
        return p2
    if p2[2] == 0:
        return p1
    z1sq, z2sq = p1[2] * p1[2] % P, p2[2] * p2[2] % P
    u1, u2 = p1[0] * z2sq % P, p2[0] * z1sq % P
    s1, s2 = p1[1] * z2sq * p2[2] % P, p2[1] * z1sq * p1[2] % P
    if u1 == u2:
        return _jacobian_double(p1) if s1 == s2 else (0, 0, 0)
    h, r = (u2 - u1) % P, (s2 - s1) % P
    h2 = h * h % P
    h3 = h * h2 % P
    u1h2 = u1 * h2 % P
    nx = (r * r - h3 - 2 * u1h2) % P
    ny = (r * (u1h2 - nx) - s1 * h3) % P
    return (nx, ny, h * p1[2] * p2[2] % P)


def _to_affine(pt):
    if pt[2] == 0:
        return None
    zinv = pow(pt[2], -1, P)
    return (pt[0] * zinv * zinv % P, pt[1] * zinv * zinv * zinv % P)


def point_mul(point, scalar):
    """Return scalar*point for an affine point (None = infinity)."""
    result = (0, 0, 0)
    addend = (point[0], point[1], 1)
    while scalar:
        if scalar & 1:
            result = _jacobian_add(result, addend)
        addend = _jacobian_double(addend)
        scalar >>= 1
    return _to_affine(result)


def point_add(a, b):
    """Return a+b for affine points (None = infinity)."""
    if a is None:
        return b
    if b is None:
        return a
    return _to_affine(_jacobian_add((a[0], a[1], 1), (b[0], b[1], 1)))


def serialize_pubkey(point):
    """Compressed 33-byte SEC encoding."""
    return bytes([2 + (point[1] & 1)]) + point[0].to_bytes(32, "big")


def parse_pubkey(data):
    """Parse a compressed 33-byte SEC public key into an affine point."""
    if len(data) != 33 or data[0] not in (2, 3):
        raise Secp256k1Error("invalid public key")
    x = int.from_bytes(data[1:], "big")
    y = _lift_x(x)
    if y is None:
        raise Secp256k1Error("invalid public key")
    return (x, y if (y & 1) == (data[0] & 1) else P - y)


def _lift_x(x):
    if x >= P:
        return None
    ysq = (pow(x, 3, P) + 7) % P
    y = pow(ysq, (P + 1) // 4, P)
    return y if y * y % P == ysq else None


def pubkey_from_privkey(privkey):
    """33-byte compressed public key of a 32-byte private key."""
    secret = int.from_bytes(privkey, "big")
    if not 0 < secret < N:
        raise Secp256k1Error("invalid private key")
    return serialize_pubkey(point_mul(G, secret))


def _rfc6979_nonce(secret, digest):
    """Deterministic nonce k per RFC 6979 section 3.2 with HMAC-SHA256."""
    x = secret.to_bytes(32, "big")
    h1 = (int.from_bytes(digest, "big") % N).to_bytes(32, "big")
    v, k = b"\x01" * 32, b"\x00" * 32
    k = hmac.new(k, v + b"\x00" + x + h1, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    k = hmac.new(k, v + b"\x01" + x + h1, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    while True:
        v = hmac.new(k, v, hashlib.sha256).digest()
        candidate = int.from_bytes(v, "big")
        if 0 < candidate < N:
            return candidate
        k = hmac.new(k, v + b"\x00", hashlib.sha256).digest()
        v = hmac.new(k, v, hashlib.sha256).digest()


def sign_recoverable(privkey, digest):
    """Sign a 32-byte digest; return (64-byte r||s with low S, recovery id)."""
    secret = int.from_bytes(privkey, "big")
    z = int.from_bytes(digest, "big")
    k = _rfc6979_nonce(secret, digest)
    rpoint = point_mul(G, k)
    r = rpoint[0] % N
    s = pow(k, -1, N) * (z + r * secret) % N
    recid = (rpoint[1] & 1) | (2 if rpoint[0] >= N else 0)
    if s > N // 2:
        s = N - s
        recid ^= 1
    return r.to_bytes(32, "big") + s.to_bytes(32, "big"), recid


def recover_pubkey(signature, recid, digest):
    """Recover the 33-byte compressed public key from r||s, recovery id and digest."""
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:64], "big")
    if not (0 < r < N and 0 < s < N) or recid not in range(4):
        raise Secp256k1Error("invalid signature")
    x = r + N if recid & 2 else r
    y = _lift_x(x)
    if y is None:
        raise Secp256k1Error("invalid signature: not for a valid curve point")
    if (y & 1) != (recid & 1):
        y = P - y
    rinv = pow(r, -1, N)
    z = int.from_bytes(digest, "big")
    u1 = (-z * rinv) % N
    u2 = (s * rinv) % N
    point = point_add(point_mul(G, u1), point_mul((x, y), u2))
    if point is None:
        raise Secp256k1Error("invalid signature: recovered point at infinity")
    return serialize_pubkey(point)


def verify(pubkey, signature, digest):
    """Check an ECDSA signature r||s over digest against a compressed pubkey."""
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:64], "big")
    if not (0 < r < N and 0 < s < N):
        return False
    sinv = pow(s, -1, N)
    z = int.from_bytes(digest, "big")
    point = point_add(point_mul(G, z * sinv % N), point_mul(parse_pubkey(pubkey), r * sinv % N))
    return point is not None and point[0] % N == r
