// Prints its arguments and the environment (sorted), then exits with the code given as the
// first argument, through exit() so that proc_exit carries it.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int compare(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  size_t count = 0;
  while (environ[count]) count++;
  char **sorted = malloc((count + 1) * sizeof *sorted);
  memcpy(sorted, environ, count * sizeof *sorted);
  qsort(sorted, count, sizeof *sorted, compare);
  for (size_t i = 0; i < count; i++) printf("env %s\n", sorted[i]);
  const char *home = getenv("HOME");
  printf("HOME=%s\n", home ? home : "(unset)");
  fprintf(stderr, "to stderr\n");
  free(sorted);
  fflush(stdout);
  exit(argc > 1 ? atoi(argv[1]) : 0);
}
