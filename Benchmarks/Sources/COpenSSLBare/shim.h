/* OpenSSL's SHA-256 exactly as the root package's CHashShim calls it: the low-level
 * SHA256_Init/Update/Final, which need no provider. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <stddef.h>
#include <stdint.h>
#include <openssl/sha.h>

static inline void bare_sha256(const void *data, size_t length, uint8_t *digest) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, length);
    SHA256_Final(digest, &context);
}
