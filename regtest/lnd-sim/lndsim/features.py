"""Feature bits as LND v0.21.2 advertises them (`feature/default_sets.go`, `lnwire/features.go`)."""

NAMES = {
    0: "data-loss-protect", 1: "data-loss-protect", 3: "initial-routing-sync",
    4: "upfront-shutdown-script", 5: "upfront-shutdown-script",
    6: "gossip-queries", 7: "gossip-queries", 8: "tlv-onion", 9: "tlv-onion",
    12: "static-remote-key", 13: "static-remote-key", 14: "payment-addr", 15: "payment-addr",
    16: "multi-path-payments", 17: "multi-path-payments", 18: "wumbo-channels", 19: "wumbo-channels",
    20: "anchor-commitments", 21: "anchor-commitments",
    22: "anchors-zero-fee-htlc-tx", 23: "anchors-zero-fee-htlc-tx",
    24: "route-blinding", 25: "route-blinding", 26: "shutdown-any-segwit", 27: "shutdown-any-segwit",
    30: "amp", 31: "amp", 34: "quiescence", 35: "quiescence", 38: "onion-messages", 39: "onion-messages",
    44: "explicit-commitment-type", 45: "explicit-commitment-type", 46: "scid-alias", 47: "scid-alias",
    48: "payment-metadata", 49: "payment-metadata", 50: "zero-conf", 51: "zero-conf",
    54: "keysend", 55: "keysend", 60: "rbf-coop-close", 61: "rbf-coop-close",
    80: "simple-taproot-chans", 81: "simple-taproot-chans",
    160: "rbf-coop-close-x", 161: "rbf-coop-close-x", 180: "simple-taproot-chans-x", 181: "simple-taproot-chans-x",
    260: "accountable-x", 261: "accountable-x", 262: "bolt-11-blinded-paths", 263: "bolt-11-blinded-paths",
    2022: "script-enforced-lease", 2023: "script-enforced-lease",
    2025: "taproot-overlay-chans", 2026: "taproot-overlay-chans",
}

# SetInvoice with the default configuration: tlv-onion (req), payment-addr (req),
# multi-path-payments (opt), route-blinding (opt).
INVOICE = frozenset({8, 14, 17, 25})

# Union of all feature sets GetInfo reports with the default configuration
# (wumbo, keysend, scid-alias, zero-conf, taproot and rbf-coop-close are opt-in).
NODE = frozenset({0, 5, 7, 8, 12, 14, 17, 23, 25, 27, 30, 31, 35, 39, 44, 261, 2023})


def rpc_features(bits):
    """`invoicesrpc.CreateRPCFeatures`: {bit: {name, is_required, is_known}}."""
    return {
        bit: {"name": NAMES.get(bit, "unknown"), "is_required": bit % 2 == 0, "is_known": bit in NAMES}
        for bit in bits
    }
