/* SHA-256 from OpenSSL's libcrypto (hardware-accelerated where the CPU allows).
 * The one-shot SHA256() is marked deprecated in OpenSSL 3 in favour of EVP, whose per-call
 * method fetch costs more than hashing a short invoice; it remains supported. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <stddef.h>
#include <stdint.h>
#include <openssl/sha.h>

static inline void t4g_sha256(const void *data, size_t length, uint8_t *digest) {
    SHA256((const unsigned char *)data, length, digest);
}
