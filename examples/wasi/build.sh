#!/usr/bin/env bash
# Rebuilds the WASI test programs used by packages/wasi/test. The .wasm files are committed so
# that tests and CI need no clang. Needs Debian's clang, lld and wasi-libc
# (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32).
set -euo pipefail
cd "$(dirname "$0")"
for source in *.c; do
  clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Wl,--strip-debug -o "${source%.c}.wasm" "$source"
done
