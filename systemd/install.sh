#!/usr/bin/env bash
# Installs t4gd as a systemd service: release binaries to /usr/local/bin, a dedicated system user and group,
# the example configuration to /etc/t4gd (mode 0640, kept if present), the unit, t4gctl's shell completions
# (bash, zsh, fish) and the man pages t4gd(1) and t4gctl(1), generated from the command definitions by
# swift-argument-parser. Run as root from the repository. `systemd/install.sh --uninstall` removes what the
# install placed (listed in /usr/local/share/t4gd/install-manifest) and nothing else: a configuration or a
# user that existed before stays, and so does the data in /var/lib/t4gd.
#
# Environment:
#   DESTDIR        install under this root instead of / (packaging, tests): the user is added to
#                  DESTDIR/etc/passwd with useradd --root, and systemctl is not called.
#   T4GD_BINARIES  a directory holding built t4gd and t4gctl: skip the build.
#   T4GD_MANUALS   a directory holding the man pages (*.1): default, the ones the build generates.
set -euo pipefail
cd "$(dirname "$0")/.."
root="${DESTDIR:-}"
root="${root%/}"
manifest_path=/usr/local/share/t4gd/install-manifest
manifest="$root$manifest_path"

uninstall() {
    [ -f "$manifest" ] || { echo "nothing to uninstall: no $manifest_path" >&2; exit 1; }
    if [ -z "$root" ] && command -v systemctl >/dev/null; then
        systemctl disable --now t4gd.service 2>/dev/null || true
    fi
    local entries
    mapfile -t entries < <(tac "$manifest")
    rm -f "$manifest"
    # Newest first: files, then the directories the install created (deepest first), the user and its group.
    for entry in "${entries[@]}"; do
        [ "${entry%% *}" = file ] && rm -f "$root${entry#* }"
    done
    for entry in "${entries[@]}"; do
        case "${entry%% *}" in
            dir) rmdir "$root${entry#* }" 2>/dev/null || echo "kept ${entry#* }: not empty" >&2 ;;
            user) userdel ${root:+--root "$root"} "${entry#* }" ;;
            group)
                if grep -q "^${entry#* }:" "$root/etc/group"; then groupdel ${root:+--root "$root"} "${entry#* }"; fi ;;
        esac
    done
    [ -n "$root" ] || ! command -v systemctl >/dev/null || systemctl daemon-reload
    echo "uninstalled t4gd${root:+ from $root}"
}

[ "${1:-}" = "--uninstall" ] && { uninstall; exit 0; }
[ $# -eq 0 ] || { echo "usage: systemd/install.sh [--uninstall]" >&2; exit 64; }

if [ -z "${T4GD_BINARIES:-}" ]; then
    scripts/setup.sh
    # The plugin builds every product in release, then writes each tool's man page from its commands.
    swift package plugin generate-manual
    T4GD_BINARIES=.build/release
fi
manuals="${T4GD_MANUALS:-.build/plugins/GenerateManual/outputs}"

entries=()
if [ -f "$manifest" ]; then mapfile -t entries < "$manifest"; fi
record() {
    local entry="$1 $2"
    for known in "${entries[@]+"${entries[@]}"}"; do [ "$known" = "$entry" ] && return; done
    entries+=("$entry")
}
# make_parents PATH: creates PATH and its missing parents (0755, root), recording each one it creates.
make_parents() {
    local path="$1" missing=()
    while [ ! -d "$root$path" ]; do missing=("$path" "${missing[@]+"${missing[@]}"}"); path="$(dirname "$path")"; done
    for path in "${missing[@]+"${missing[@]}"}"; do
        install -d -m 0755 -o 0 -g 0 "$root$path"
        record dir "$path"
    done
}
# place MODE OWNER:GROUP SOURCE PATH: installs SOURCE as PATH and records it.
place() {
    make_parents "$(dirname "$4")"
    install -m "$1" -o "${2%:*}" -g "${2#*:}" "$3" "$root$4"
    record file "$4"
}

for binary in t4gd t4gctl; do place 0755 0:0 "$T4GD_BINARIES/$binary" "/usr/local/bin/$binary"; done

if ! grep -q '^t4gd:' "$root/etc/passwd" 2>/dev/null; then
    grep -q '^t4gd:' "$root/etc/group" || record group t4gd
    useradd ${root:+--root "$root"} --system --user-group --home-dir /var/lib/t4gd --shell /usr/sbin/nologin t4gd
    record user t4gd
fi
gid="$(awk -F: '$1 == "t4gd" { print $3 }' "$root/etc/group")"

make_parents /etc/t4gd
install -d -m 0750 -o 0 -g "$gid" "$root/etc/t4gd"
[ -e "$root/etc/t4gd/t4gd.toml" ] || place 0640 "0:$gid" Config/t4gd.toml /etc/t4gd/t4gd.toml
place 0644 0:0 systemd/t4gd.service /etc/systemd/system/t4gd.service

completions="$(mktemp -d)"
trap 'rm -rf "$completions"' EXIT
for shell in bash zsh fish; do
    "$T4GD_BINARIES/t4gctl" --generate-completion-script "$shell" > "$completions/$shell"
done
place 0644 0:0 "$completions/bash" /usr/local/share/bash-completion/completions/t4gctl
place 0644 0:0 "$completions/zsh" /usr/local/share/zsh/site-functions/_t4gctl
place 0644 0:0 "$completions/fish" /usr/local/share/fish/vendor_completions.d/t4gctl.fish
for page in t4gd t4gctl; do
    source_page="$(find "$manuals" -name "$page.1" -print -quit)"
    [ -n "$source_page" ] || { echo "no man page $page.1 under $manuals" >&2; exit 1; }
    place 0644 0:0 "$source_page" "/usr/local/share/man/man1/$page.1"
done

make_parents "$(dirname "$manifest_path")"
printf '%s\n' "${entries[@]}" > "$manifest"
chmod 0644 "$manifest"

if [ -z "$root" ]; then
    systemctl daemon-reload
    echo "installed; start with: systemctl enable --now t4gd; then: t4gctl status --socket /run/t4gd/rpc.sock"
else
    echo "installed into $root"
fi
