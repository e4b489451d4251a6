// Draws random bytes twice through random_get and checks they look random.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  unsigned char a[64], b[64];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  int ok = getentropy(a, sizeof a) == 0 && getentropy(b, sizeof b) == 0;
  int distinct = 0;
  for (int i = 0; i < 64; i++) distinct += a[i] != b[i];
  printf("getentropy ok: %d\n", ok);
  printf("draws differ in most bytes: %d\n", distinct > 48);
  return 0;
}
