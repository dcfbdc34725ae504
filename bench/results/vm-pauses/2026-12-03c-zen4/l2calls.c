// A batch-1 layer's memory traffic without a JVM: each call multiplies a vector by a 784 x 256 float matrix
// (784 KiB, as Lanewise's and ONNX Runtime's first layer read from L2), timed one by one for SECONDS, then the
// latency percentiles. The control for PredictBenchmark's batch-1 p99 on this machine.
//   gcc -O3 -march=native [-DKROWS=896] -o l2calls l2calls.c && taskset -c 1 ./l2calls 20
// (KROWS rows of weights instead of 784: 896 is about the whole model's 917 KiB, near this core's 1 MiB of L2)
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef KROWS
#define KROWS 784
#endif
enum { K = KROWS, N = 256 };
static float w[K * N] __attribute__((aligned(64)));
static float x[K], y[N];

static long long ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void layer(void) {
  for (int j = 0; j < N; j++) y[j] = 0;
  for (int k = 0; k < K; k++)
    for (int j = 0; j < N; j++) y[j] += x[k] * w[k * N + j];
}

static int cmp(const void *a, const void *b) {
  long long d = *(const long long *)a - *(const long long *)b;
  return (d > 0) - (d < 0);
}

int main(int argc, char **argv) {
  long long seconds = argc > 1 ? atoll(argv[1]) : 10;
  for (int i = 0; i < K * N; i++) w[i] = (float)((i * 7919) % 1000) * 1e-3f;
  for (int k = 0; k < K; k++) x[k] = (float)(k % 13) * 1e-2f;
  static long long t[20000000];
  long n = 0;
  long long start = ns();
  for (int i = 0; i < 1000; i++) layer(); // warm: the weights in L2
  start = ns();
  while (n < 20000000) {
    long long a = ns();
    layer();
    long long b = ns();
    t[n++] = b - a;
    if (b - start > seconds * 1000000000LL) break;
  }
  qsort(t, n, sizeof t[0], cmp);
  double ps[] = {50, 90, 95, 99, 99.9, 99.99};
  printf("%ld calls in %lld s (y[0] %g)\n", n, seconds, y[0]);
  for (int i = 0; i < 6; i++) printf("p%g %.1f us\n", ps[i], t[(long)(ps[i] / 100 * (n - 1))] / 1000.0);
  return 0;
}
