#!/usr/bin/env bash
# Runs the arm64 Node.js of the sysroot built by build-sysroot.sh under qemu-user emulation.
# Usage: packages/codegen-arm64/emulation/node.sh [node arguments...]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SYSROOT="${FLINT_ARM64_CACHE:-$REPO/.cache}/arm64-sysroot"
if [[ ! -x "$SYSROOT/usr/bin/node" ]]; then
  echo "no arm64 sysroot at $SYSROOT: run packages/codegen-arm64/emulation/build-sysroot.sh first" >&2
  exit 2
fi
exec qemu-aarch64 -L "$SYSROOT" "$SYSROOT/usr/bin/node" "$@"
