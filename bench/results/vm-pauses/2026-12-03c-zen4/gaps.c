// Where this VM stops a running thread: a loop that reads the clock back to back for SECONDS and prints every gap of
// 1 µs or more (start time and length, ns). A fixed amount of work that overlaps a gap takes the gap longer.
//   gcc -O2 -o gaps gaps.c && taskset -c 1 ./gaps 10 > gaps.txt
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
  long long seconds = argc > 1 ? atoll(argv[1]) : 10;
  static long long at[4000000], len[4000000];
  long n = 0;
  long long start = ns(), prev = start, now;
  while ((now = ns()) - start < seconds * 1000000000LL) {
    if (now - prev >= 1000 && n < 4000000) { at[n] = prev - start; len[n] = now - prev; n++; }
    prev = now;
  }
  printf("# %lld s, %ld gaps of 1 us or more: start_ns length_ns\n", seconds, n);
  for (long i = 0; i < n; i++) printf("%lld %lld\n", at[i], len[i]);
  return 0;
}
