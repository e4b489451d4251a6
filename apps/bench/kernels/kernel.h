/* Shared by every kernel: fixed-width types and the export marker, without libc, so each kernel
   compiles both freestanding to wasm32 (no imports: any engine runs it) and natively into the
   checksum driver (native-main.c) that derives the expected results independently of any engine. */
#ifndef FLINT_BENCH_KERNEL_H
#define FLINT_BENCH_KERNEL_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;

#if defined(__wasm__)
#define EXPORT(name) __attribute__((export_name(name)))
#else
#define EXPORT(name)
#endif

/* xorshift32: the kernels' input generator; deterministic, so wasm and native see the same data. */
static inline u32 xorshift32(u32 *state) {
  u32 x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

#endif
