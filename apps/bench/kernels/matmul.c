/* Integer arithmetic in nested loops: C = A x B on 96x96 i32 matrices with wrapping arithmetic,
   n times, each product feeding back into A so no repetition can be skipped. */
#include "kernel.h"

#define N 96
static u32 a[N][N], b[N][N], c[N][N];

EXPORT("run") i32 run(i32 n) {
  u32 seed = 0x9e3779b9u;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = xorshift32(&seed) & 0xffff;
      b[i][j] = xorshift32(&seed) & 0xffff;
    }
  for (i32 rep = 0; rep < n; rep++) {
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) {
        u32 sum = 0;
        for (int k = 0; k < N; k++) sum += a[i][k] * b[k][j];
        c[i][j] = sum;
      }
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) a[i][j] = (c[i][j] >> 7) & 0xffff;
  }
  u32 hash = 2166136261u;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) hash = (hash ^ c[i][j]) * 16777619u;
  return (i32)hash;
}
