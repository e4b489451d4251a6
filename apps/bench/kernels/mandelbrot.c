/* Floating point with a data-dependent inner loop: an n x n Mandelbrot set over [-2, 0.5] x
   [-1.25, 1.25], at most 64 iterations per point; returns the total iteration count. */
#include "kernel.h"

#define MAX_ITERATIONS 64

EXPORT("run") i32 run(i32 n) {
  u32 total = 0;
  for (i32 py = 0; py < n; py++) {
    double ci = -1.25 + 2.5 * (double)py / (double)n;
    for (i32 px = 0; px < n; px++) {
      double cr = -2.0 + 2.5 * (double)px / (double)n;
      double zr = 0, zi = 0;
      int it = 0;
      while (it < MAX_ITERATIONS && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        it++;
      }
      total += (u32)it;
    }
  }
  return (i32)total;
}
