// A small WASI command used by Flint's quick start: counts primes with a sieve and prints a
// table of prime gaps. It exercises loops, memory, calls and stdio.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned count_primes(unsigned limit, unsigned char *composite, unsigned *max_gap) {
  memset(composite, 0, limit + 1);
  unsigned count = 0, last = 0;
  *max_gap = 0;
  for (unsigned i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    count++;
    if (last && i - last > *max_gap) *max_gap = i - last;
    last = i;
    for (unsigned long long j = (unsigned long long)i * i; j <= limit; j += i) composite[j] = 1;
  }
  return count;
}

int main(int argc, char **argv) {
  unsigned limit = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000000;
  unsigned char *composite = malloc(limit + 1);
  if (!composite) {
    fprintf(stderr, "out of memory\n");
    return 1;
  }
  printf("%12s %10s %8s\n", "limit", "primes", "max gap");
  for (unsigned n = 10; n <= limit; n *= 10) {
    unsigned gap;
    unsigned count = count_primes(n, composite, &gap);
    printf("%12u %10u %8u\n", n, count, gap);
  }
  free(composite);
  return 0;
}
