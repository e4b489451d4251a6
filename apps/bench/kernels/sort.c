/* Memory and branches: quicksort (median of three, insertion sort below 16 elements) of 2^16
   generated i32 values, n times on fresh data; returns a position-weighted hash of the result. */
#include "kernel.h"

#define COUNT 65536
static i32 values[COUNT];

static void insertion_sort(i32 *v, i32 lo, i32 hi) {
  for (i32 i = lo + 1; i <= hi; i++) {
    i32 x = v[i], j = i - 1;
    while (j >= lo && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

static void quicksort(i32 *v, i32 lo, i32 hi) {
  while (hi - lo >= 16) {
    i32 mid = lo + ((hi - lo) >> 1);
    /* Order v[lo], v[mid], v[hi]; the median becomes the pivot. */
    if (v[mid] < v[lo]) { i32 t = v[mid]; v[mid] = v[lo]; v[lo] = t; }
    if (v[hi] < v[lo]) { i32 t = v[hi]; v[hi] = v[lo]; v[lo] = t; }
    if (v[hi] < v[mid]) { i32 t = v[hi]; v[hi] = v[mid]; v[mid] = t; }
    i32 pivot = v[mid], i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        i32 t = v[i]; v[i] = v[j]; v[j] = t;
        i++;
        j--;
      }
    }
    /* Recurse into the smaller half, loop on the larger: the stack stays O(log n) deep. */
    if (j - lo < hi - i) {
      quicksort(v, lo, j);
      lo = i;
    } else {
      quicksort(v, i, hi);
      hi = j;
    }
  }
  insertion_sort(v, lo, hi);
}

EXPORT("run") i32 run(i32 n) {
  u32 hash = 0;
  u32 seed = 0xdeadbeefu;
  for (i32 rep = 0; rep < n; rep++) {
    for (i32 i = 0; i < COUNT; i++) values[i] = (i32)xorshift32(&seed);
    quicksort(values, 0, COUNT - 1);
    for (i32 i = 0; i < COUNT; i += 97) hash = hash * 31u + (u32)values[i];
  }
  return (i32)hash;
}
