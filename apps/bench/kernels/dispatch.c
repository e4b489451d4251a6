/* Call-heavy through a function table: every step calls one of eight small functions picked by
   generated data through a function pointer, which clang lowers to `call_indirect`; n steps. */
#include "kernel.h"

typedef u32 (*step_fn)(u32 acc, u32 x);

__attribute__((noinline)) static u32 op_add(u32 acc, u32 x) { return acc + x; }
__attribute__((noinline)) static u32 op_xor(u32 acc, u32 x) { return acc ^ x; }
__attribute__((noinline)) static u32 op_mul(u32 acc, u32 x) { return acc * (x | 1u); }
__attribute__((noinline)) static u32 op_rotl(u32 acc, u32 x) { u32 s = x & 31u; return (acc << s) | (acc >> ((32u - s) & 31u)); }
__attribute__((noinline)) static u32 op_sub(u32 acc, u32 x) { return acc - x; }
__attribute__((noinline)) static u32 op_mix(u32 acc, u32 x) { return (acc ^ (acc >> 15)) + x; }
__attribute__((noinline)) static u32 op_min(u32 acc, u32 x) { return acc < x ? acc + 1u : x ^ acc; }
__attribute__((noinline)) static u32 op_shr(u32 acc, u32 x) { return (acc >> (x & 7u)) + 0x9e3779b9u; }

/* volatile: the table is read at run time, so clang cannot turn the indirect calls into a switch. */
static step_fn volatile table[8] = {op_add, op_xor, op_mul, op_rotl, op_sub, op_mix, op_min, op_shr};

EXPORT("run") i32 run(i32 n) {
  u32 seed = 0xc0ffee11u, acc = 1;
  for (i32 i = 0; i < n; i++) {
    u32 r = xorshift32(&seed);
    acc = table[r & 7u](acc, r >> 3);
  }
  return (i32)acc;
}
