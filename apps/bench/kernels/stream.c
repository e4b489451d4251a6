/* Memory-bound: a STREAM-style triad (a = b + 3c) over 4 MiB i32 arrays, then a strided sum that
   touches one word per 64-byte line in a different order each pass; n passes. */
#include "kernel.h"

#define WORDS (1 << 20)
static u32 a[WORDS], b[WORDS], c[WORDS];

EXPORT("run") i32 run(i32 n) {
  for (u32 i = 0; i < WORDS; i++) {
    b[i] = i * 2654435761u;
    c[i] = i ^ 0x5bd1e995u;
  }
  u32 sum = 0;
  for (i32 pass = 0; pass < n; pass++) {
    for (u32 i = 0; i < WORDS; i++) a[i] = b[i] + 3u * c[i];
    u32 stride = 16u * (1u + ((u32)pass & 3u));
    for (u32 start = 0; start < stride; start += 16)
      for (u32 i = start; i < WORDS; i += stride) sum += a[i];
    for (u32 i = 0; i < WORDS; i += 1024) b[i] += sum;
  }
  return (i32)sum;
}
