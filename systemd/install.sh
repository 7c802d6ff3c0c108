#!/usr/bin/env bash
# Installs t4gd as a systemd service: release binaries to /usr/local/bin, a dedicated system user, the example
# configuration to /etc/t4gd (mode 0640, kept if present) and the unit. Run as root from the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product t4gd
swift build -c release --product t4gctl
install -m 0755 .build/release/t4gd .build/release/t4gctl /usr/local/bin/
id t4gd >/dev/null 2>&1 || useradd --system --home-dir /var/lib/t4gd --shell /usr/sbin/nologin t4gd
install -d -m 0750 -o root -g t4gd /etc/t4gd
[ -e /etc/t4gd/t4gd.toml ] || install -m 0640 -o root -g t4gd Config/t4gd.toml /etc/t4gd/t4gd.toml
install -m 0644 systemd/t4gd.service /etc/systemd/system/t4gd.service
systemctl daemon-reload
echo "installed; start with: systemctl enable --now t4gd; then: t4gctl info --socket /run/t4gd/rpc.sock"
