/* Native timing of one kernel for the execution benchmark (run-bench.ts): the kernel's C source
   compiled by the host gcc -O2 (the same flags as build.sh's checksum build), linked with this
   file, timed like the engines: one warm-up run, then the median of `runs` runs of run(n).
   Prints one JSON line: {"result": <run(n)>, "medianMs": <ms>}. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef KERNEL_RETURNS_F64
double run(int n);
static volatile double sink;
#else
int run(int n);
static volatile int sink;
#endif

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int n = atoi(argv[1]);
  int runs = argc > 2 ? atoi(argv[2]) : 5;
  double times[64];
  if (runs < 1 || runs > 64) return 2;
  sink = run(n); /* warm-up */
  for (int i = 0; i < runs; i++) {
    double t0 = now_ms();
    sink = run(n);
    times[i] = now_ms() - t0;
  }
  qsort(times, runs, sizeof times[0], by_value);
#ifdef KERNEL_RETURNS_F64
  printf("{\"result\": %.17g, \"medianMs\": %.6f}\n", (double)sink, times[runs / 2]);
#else
  printf("{\"result\": %d, \"medianMs\": %.6f}\n", (int)sink, times[runs / 2]);
#endif
  return 0;
}
