/* SHA-256 from OpenSSL's libcrypto (hardware-accelerated where the CPU allows).
 * The low-level SHA256_Init/Update/Final are marked deprecated in OpenSSL 3 in favour of EVP, but remain
 * supported; unlike EVP (and the one-shot SHA256(), which goes through it), they need no provider: the first
 * hash neither loads the default provider nor reads the OpenSSL configuration, which costs memory in every
 * process (about 3 MB of libcrypto pages touched) and a method fetch per call. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <stddef.h>
#include <stdint.h>
#include <openssl/sha.h>

static inline void t4g_sha256(const void *data, size_t length, uint8_t *digest) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, length);
    SHA256_Final(digest, &context);
}
