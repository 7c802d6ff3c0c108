#!/usr/bin/env bash
# Runs the whole test suite: unit, property, CLI and integration tests (Swift Testing).
# Installs missing system packages first (scripts/setup.sh). Warnings are errors (see Package.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
