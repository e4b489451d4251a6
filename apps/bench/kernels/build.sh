#!/bin/sh
# Rebuilds the execution-benchmark kernels and re-derives their expected checksums.
#
#   1. Each kernel's C source is compiled with clang -O2 to a freestanding wasm32 module (no libc,
#      no imports, so every engine can instantiate it with no import object); the .wasm files are
#      committed, so running the suite needs no clang.
#   2. The same source is compiled natively with the host cc, linked with native-main.c, and run
#      for the check size and the timed size of each kernel: these printed values are the expected
#      checksums recorded in ../src/kernels.ts. No wasm engine takes part in deriving them.
#
# -ffp-contract=off on both sides: a fused multiply-add would round differently from wasm's
# separate f64.mul and f64.add, and the native checksums must match wasm bit for bit.
#
# Usage: kernels/build.sh            (needs clang with the wasm32 target, wasm-ld and cc)
set -eu
cd "$(dirname "$0")"

CLANG=${CLANG:-clang}
CC=${CC:-cc}
WASM_FLAGS="--target=wasm32 -mcpu=mvp -O2 -nostdlib -ffp-contract=off -fno-builtin -Wl,--no-entry -Wl,--strip-all"
NATIVE_FLAGS="-O2 -ffp-contract=off -fno-builtin -fno-math-errno"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# name, check n, timed n (the timed n must match `n` in src/kernels.ts), and the return type.
kernels="
crc32 3 400 i32
matmul 2 180 i32
nbody 1000 1000000 f64
mandelbrot 64 1200 i32
stream 1 60 i32
sort 1 16 i32
fib 20 36 i32
dispatch 10000 6000000 i32
interp 1000 20000 i32
"

echo "$kernels" | while read -r name check_n timed_n result; do
  [ -z "$name" ] && continue
  $CLANG $WASM_FLAGS -o "$name.wasm" "$name.c"
  define=""
  [ "$result" = f64 ] && define="-DKERNEL_RETURNS_F64"
  $CC $NATIVE_FLAGS $define -o "$out/$name" "$name.c" native-main.c -lm
  printf '%-11s %5d bytes  run(%d) = %s  run(%d) = %s\n' "$name" "$(wc -c < "$name.wasm")" \
    "$check_n" "$("$out/$name" "$check_n")" "$timed_n" "$("$out/$name" "$timed_n")"
done
