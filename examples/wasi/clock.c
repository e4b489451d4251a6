// Reads every clock and sleeps through poll_oneoff (nanosleep, and with the argument
// `poll-abstime` a raw absolute-time subscription); prints only the verdicts, which are the
// same on every correct host.
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wasi/api.h>

static long long ns(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(int argc, char **argv) {
  struct timespec res, a, b, real, cpu;
  printf("monotonic res > 0: %d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns(res) > 0);
  printf("realtime res > 0: %d\n", clock_getres(CLOCK_REALTIME, &res) == 0 && ns(res) > 0);
  printf("realtime after 2020: %d\n", clock_gettime(CLOCK_REALTIME, &real) == 0 && real.tv_sec > 1577836800);
  printf("process cputime readable: %d\n", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0);
  printf("thread cputime readable: %d\n", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) == 0);

  clock_gettime(CLOCK_MONOTONIC, &a);
  struct timespec nap = {0, 20 * 1000 * 1000};
  printf("nanosleep ok: %d\n", nanosleep(&nap, NULL) == 0);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("slept >= 20ms: %d\n", ns(b) - ns(a) >= 20 * 1000 * 1000);

  if (argc < 2 || strcmp(argv[1], "poll-abstime") != 0) return 0;
  // An absolute monotonic deadline 10ms ahead, and a relative one far away: only the first fires.
  __wasi_timestamp_t now = 0;
  int clocks_ok = __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &now) == 0;
  __wasi_subscription_t subs[2] = {0};
  subs[0].userdata = 42;
  subs[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  subs[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  subs[0].u.u.clock.timeout = now + 10 * 1000 * 1000;
  subs[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
  subs[1].userdata = 43;
  subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  subs[1].u.u.clock.timeout = 60ULL * 1000 * 1000 * 1000;
  __wasi_event_t events[2];
  __wasi_size_t count = 0;
  __wasi_errno_t error = __wasi_poll_oneoff(subs, events, 2, &count);
  __wasi_timestamp_t after = 0;
  clocks_ok &= __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &after) == 0;
  printf("poll: errno %d, events %lu, userdata %llu, type %d, waited >= 10ms: %d\n", error, count,
         (unsigned long long)events[0].userdata, events[0].type, clocks_ok && after - now >= 10 * 1000 * 1000);
  return 0;
}
