/* Call-heavy: naive doubly recursive Fibonacci, fib(n); almost no work per call. clang -O2 turns
   the second recursive call into a loop (an accumulator), so one direct call per level remains. */
#include "kernel.h"

/* noinline: inlining fib into itself would trade calls for code size; the benchmark is calls. */
__attribute__((noinline)) static u32 fib(i32 n) { return n < 2 ? (u32)n : fib(n - 1) + fib(n - 2); }

EXPORT("run") i32 run(i32 n) { return (i32)fib(n); }
