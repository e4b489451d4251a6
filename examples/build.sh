#!/usr/bin/env bash
# Rebuilds the example modules from source. The .wasm files are committed so nothing else needs clang.
# Needs Debian's clang, lld and wasi-libc (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32).
set -euo pipefail
cd "$(dirname "$0")"
clang --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-debug -o primes.wasm primes.c
