#!/usr/bin/env bash
# Proves the arm64 sysroot works: prints process.arch under emulation, installs koffi (the FFI
# that will call generated arm64 code) for linux/arm64 into its own cache dir and loads it there,
# and times `node -e 1` under qemu.
# Usage: packages/codegen-arm64/emulation/smoke.sh   (after build-sysroot.sh)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
KOFFI_DIR="${FLINT_ARM64_CACHE:-$REPO/.cache}/arm64-koffi"

echo "== process.arch under qemu"
arch="$("$HERE/node.sh" -p 'process.arch + " " + process.version')"
echo "$arch"
[[ "$arch" == arm64* ]] || { echo "expected arm64, got $arch" >&2; exit 1; }

echo "== koffi for linux/arm64 in $KOFFI_DIR"
mkdir -p "$KOFFI_DIR"
[[ -f "$KOFFI_DIR/package.json" ]] || echo '{ "private": true }' >"$KOFFI_DIR/package.json"
# The runtime's koffi (packages/runtime/package.json); a different installed version is replaced.
KOFFI_VERSION="$(node -p "require('$REPO/packages/runtime/package.json').dependencies.koffi")"
installed="$(node -p "require('$KOFFI_DIR/node_modules/koffi/package.json').version" 2>/dev/null || true)"
if [[ "$installed" != "$KOFFI_VERSION" ]]; then
  # --ignore-scripts: the arm64 binary comes prebuilt in @koromix/koffi-linux-arm64; the install
  # script would only build a host (x64) copy from source.
  npm install --prefix "$KOFFI_DIR" --cpu=arm64 --os=linux --ignore-scripts --no-audit --no-fund --loglevel=error "koffi@$KOFFI_VERSION"
fi
"$HERE/node.sh" -e "
  const koffi = require('$KOFFI_DIR/node_modules/koffi');
  const libc = koffi.load('libc.so.6');
  const abs = libc.func('int abs(int)');
  console.log('koffi', koffi.version, 'on', process.arch, '- libc abs(-42) =', abs(-42));
  if (abs(-42) !== 42) process.exit(1);
"

echo "== time of node -e 1 under emulation (3 runs)"
for _ in 1 2 3; do
  start=$(date +%s%N)
  "$HERE/node.sh" -e 1
  echo "$(( ($(date +%s%N) - start) / 1000000 )) ms"
done
