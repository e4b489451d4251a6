#!/usr/bin/env bash
# Runs the backend conformance kit (and @flint/codegen-arm64's own cases) natively on an emulated
# arm64 CPU and prints the JSON report: bundles packages/codegen-arm64/test/qemu/conformance-runner.ts
# with tsup for Node 18, then runs it with the sysroot's Node under qemu-user.
# Usage: packages/codegen-arm64/emulation/conformance.sh   (after build-sysroot.sh and smoke.sh)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
CACHE="${FLINT_ARM64_CACHE:-$REPO/.cache}"
OUT="$CACHE/arm64-runner"
(cd "$REPO" && FLINT_ARM64_RUNNER_DIR="$OUT" npx tsup --config packages/codegen-arm64/emulation/tsup.qemu-runner.config.ts)
KOFFI="$CACHE/arm64-koffi/node_modules/koffi" "$HERE/node.sh" "$OUT/conformance-runner.cjs"
