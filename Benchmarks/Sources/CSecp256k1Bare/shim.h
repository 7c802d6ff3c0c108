/* The same system headers as the root package's CSecp256k1, under another module name, so that the
 * bare baselines call libsecp256k1 without going through the Secp256k1 wrapper. */
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_recovery.h>
#include <secp256k1_schnorrsig.h>
