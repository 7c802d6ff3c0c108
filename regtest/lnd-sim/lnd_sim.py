#!/usr/bin/env python3
"""lnd-sim: simulated LND v0.21 REST nodes for tests (not LND).

Example:
    lnd_sim.py --dir /tmp/sim --nodes alice,bob,carol \\
        --channel alice:bob:1000000:0 --channel bob:carol:1000000:500000

Writes DIR/<node>/{tls.cert,tls.key,admin.macaroon,invoice.macaroon,readonly.macaroon}
and, once every port listens, DIR/nodes.json. Runs until SIGTERM/SIGINT.
"""

import argparse
import signal
import sys
import threading
from pathlib import Path

from lndsim.bolt11 import NETWORKS
from lndsim.simulator import ChannelSpec, SimConfig, Simulator


def parse_channel(text):
    """NODE1:NODE2:CAPACITY_SAT[:PUSH_SAT][:private]."""
    parts = text.split(":")
    private = parts[-1] == "private"
    if private:
        parts = parts[:-1]
    if len(parts) not in (3, 4):
        raise argparse.ArgumentTypeError(f"expected NODE1:NODE2:CAPACITY_SAT[:PUSH_SAT][:private], got {text!r}")
    try:
        return ChannelSpec(parts[0], parts[1], int(parts[2]), int(parts[3]) if len(parts) == 4 else 0, private)
    except ValueError:
        raise argparse.ArgumentTypeError(f"amounts must be integers in {text!r}") from None


def parse_args(argv):
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True, type=Path, help="state directory (created if missing)")
    parser.add_argument("--nodes", required=True, help="comma-separated node names, e.g. alice,bob,carol")
    parser.add_argument("--channel", action="append", default=[], type=parse_channel,
                        help="NODE1:NODE2:CAPACITY_SAT[:PUSH_SAT][:private], repeatable; NODE1 funds the channel; "
                             "a private channel is not announced")
    parser.add_argument("--network", default="regtest", choices=sorted(NETWORKS))
    parser.add_argument("--fee-base-msat", type=int, default=1000, help="forwarding base fee of every node")
    parser.add_argument("--fee-ppm", type=int, default=1, help="forwarding fee rate (ppm) of every node")
    parser.add_argument("--htlc-delay-ms", type=int, default=20, help="simulated latency per hop")
    parser.add_argument("--block-height", type=int, default=1000)
    parser.add_argument("--seed", help="derive node keys from this seed (stable pubkeys across runs)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="IPv4 address the REST and control ports listen on (also in each TLS certificate)")
    return parser.parse_args(argv)


def main(argv=None):
    """Start the simulator and serve until terminated."""
    args = parse_args(argv)
    names = [n for n in args.nodes.split(",") if n]
    if len(set(names)) != len(names) or not names:
        sys.exit("--nodes needs distinct, non-empty names")
    config = SimConfig(
        args.dir, names, args.channel, args.network, args.fee_base_msat, args.fee_ppm,
        args.htlc_delay_ms, args.block_height, args.seed, args.host,
    )
    try:
        simulator = Simulator(config)
    except ValueError as exc:
        sys.exit(f"lnd-sim: {exc}")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    manifest = simulator.start()
    print(f"lnd-sim: listening; manifest {manifest}", flush=True)
    stop.wait()
    simulator.stop()


if __name__ == "__main__":
    main()
