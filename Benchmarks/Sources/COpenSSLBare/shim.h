/* OpenSSL's one-shot SHA256(), the function the root package's CHashShim wraps. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
