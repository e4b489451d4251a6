/* The independent derivation of the expected checksums: links one kernel's C source natively
   (host cc, no wasm engine involved) and prints run(n) for the n given on the command line. */
#include <stdio.h>
#include <stdlib.h>

#ifdef KERNEL_RETURNS_F64
double run(int n);
int main(int argc, char **argv) {
  printf("%.17g\n", run(atoi(argv[1])));
  return 0;
}
#else
int run(int n);
int main(int argc, char **argv) {
  printf("%d\n", run(atoi(argv[1])));
  return 0;
}
#endif
