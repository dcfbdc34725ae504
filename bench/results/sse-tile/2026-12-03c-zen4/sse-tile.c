// The 6-row x 8-column tile of -XX:UseAVX=0 written by hand, outside the JVM, three ways: legacy SSE
// (two-operand multiply then add, as C2 must emit under UseAVX=0), the same with VEX three-operand encodings, and
// the 6 x 16 AVX2 FMA tile. Packed panels as Lanewise's: A 6 floats a step, B 8 (16 for AVX2), k = 256 steps.
//   gcc -O2 -mavx512f -o sse-tile sse-tile.c && ./sse-tile upper | ./sse-tile rounds N
//   gcc -O2 -shared -fPIC -o libnativetile.so sse-tile.c   (native_tile for the SlowMode harness, native.patch)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static float a[6 * 256] __attribute__((aligned(64)));
static float b[16 * 256] __attribute__((aligned(64)));

void native_tile_init(void) {
  for (int i = 0; i < 6 * 256; i++) a[i] = 1e-3f * (i % 7);
  for (int i = 0; i < 16 * 256; i++) b[i] = 1e-3f * (i % 5);
}

#define CLOBBERS "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", \
  "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

/** Legacy SSE: reps × 2·6·8·256 flops. Exported for the JVM harness. */
void native_tile(long reps) {
  for (long r = 0; r < reps; r++) {
    const float *ap = a, *bp = b;
    long k = 256;
    __asm__ volatile(
      "xorps %%xmm0,%%xmm0\n xorps %%xmm1,%%xmm1\n xorps %%xmm2,%%xmm2\n xorps %%xmm3,%%xmm3\n"
      "xorps %%xmm4,%%xmm4\n xorps %%xmm5,%%xmm5\n xorps %%xmm6,%%xmm6\n xorps %%xmm7,%%xmm7\n"
      "xorps %%xmm8,%%xmm8\n xorps %%xmm9,%%xmm9\n xorps %%xmm10,%%xmm10\n xorps %%xmm11,%%xmm11\n"
      "1:\n movups (%1),%%xmm12\n movups 16(%1),%%xmm13\n"
#define ROW(off, c0, c1) \
      "movss " #off "(%0),%%xmm14\n shufps $0,%%xmm14,%%xmm14\n movaps %%xmm14,%%xmm15\n" \
      "mulps %%xmm12,%%xmm15\n addps %%xmm15," #c0 "\n mulps %%xmm13,%%xmm14\n addps %%xmm14," #c1 "\n"
      ROW(0, %%xmm0, %%xmm1) ROW(4, %%xmm2, %%xmm3) ROW(8, %%xmm4, %%xmm5)
      ROW(12, %%xmm6, %%xmm7) ROW(16, %%xmm8, %%xmm9) ROW(20, %%xmm10, %%xmm11)
      "add $24,%0\n add $32,%1\n dec %2\n jnz 1b\n"
      : "+r"(ap), "+r"(bp), "+r"(k) : : CLOBBERS);
  }
}

/** VEX-128: the same arithmetic in three-operand encodings, no copies. */
static void vex128_tile(long reps) {
  for (long r = 0; r < reps; r++) {
    const float *ap = a, *bp = b;
    long k = 256;
    __asm__ volatile(
      "vxorps %%xmm0,%%xmm0,%%xmm0\n vxorps %%xmm1,%%xmm1,%%xmm1\n vxorps %%xmm2,%%xmm2,%%xmm2\n"
      "vxorps %%xmm3,%%xmm3,%%xmm3\n vxorps %%xmm4,%%xmm4,%%xmm4\n vxorps %%xmm5,%%xmm5,%%xmm5\n"
      "vxorps %%xmm6,%%xmm6,%%xmm6\n vxorps %%xmm7,%%xmm7,%%xmm7\n vxorps %%xmm8,%%xmm8,%%xmm8\n"
      "vxorps %%xmm9,%%xmm9,%%xmm9\n vxorps %%xmm10,%%xmm10,%%xmm10\n vxorps %%xmm11,%%xmm11,%%xmm11\n"
      "1:\n vmovups (%1),%%xmm12\n vmovups 16(%1),%%xmm13\n"
#define XROW(off, c0, c1) \
      "vbroadcastss " #off "(%0),%%xmm14\n vmulps %%xmm14,%%xmm12,%%xmm15\n vaddps %%xmm15," #c0 "," #c0 "\n" \
      "vmulps %%xmm14,%%xmm13,%%xmm15\n vaddps %%xmm15," #c1 "," #c1 "\n"
      XROW(0, %%xmm0, %%xmm1) XROW(4, %%xmm2, %%xmm3) XROW(8, %%xmm4, %%xmm5)
      XROW(12, %%xmm6, %%xmm7) XROW(16, %%xmm8, %%xmm9) XROW(20, %%xmm10, %%xmm11)
      "add $24,%0\n add $32,%1\n dec %2\n jnz 1b\n"
      : "+r"(ap), "+r"(bp), "+r"(k) : : CLOBBERS);
  }
}

/** AVX2: 6 rows x 2 vectors of 8 with FMA, as Lanewise's tile under -XX:UseAVX=2; reps × 2·6·16·256 flops. */
static void avx2_tile(long reps) {
  for (long r = 0; r < reps; r++) {
    const float *ap = a, *bp = b;
    long k = 256;
    __asm__ volatile(
      "vxorps %%ymm0,%%ymm0,%%ymm0\n vxorps %%ymm1,%%ymm1,%%ymm1\n vxorps %%ymm2,%%ymm2,%%ymm2\n"
      "vxorps %%ymm3,%%ymm3,%%ymm3\n vxorps %%ymm4,%%ymm4,%%ymm4\n vxorps %%ymm5,%%ymm5,%%ymm5\n"
      "vxorps %%ymm6,%%ymm6,%%ymm6\n vxorps %%ymm7,%%ymm7,%%ymm7\n vxorps %%ymm8,%%ymm8,%%ymm8\n"
      "vxorps %%ymm9,%%ymm9,%%ymm9\n vxorps %%ymm10,%%ymm10,%%ymm10\n vxorps %%ymm11,%%ymm11,%%ymm11\n"
      "1:\n vmovups (%1),%%ymm12\n vmovups 32(%1),%%ymm13\n"
#define VROW(off, c0, c1) \
      "vbroadcastss " #off "(%0),%%ymm14\n vfmadd231ps %%ymm14,%%ymm12," #c0 "\n vfmadd231ps %%ymm14,%%ymm13," #c1 "\n"
      VROW(0, %%ymm0, %%ymm1) VROW(4, %%ymm2, %%ymm3) VROW(8, %%ymm4, %%ymm5)
      VROW(12, %%ymm6, %%ymm7) VROW(16, %%ymm8, %%ymm9) VROW(20, %%ymm10, %%ymm11)
      "add $24,%0\n add $64,%1\n dec %2\n jnz 1b\n"
      : "+r"(ap), "+r"(bp), "+r"(k) : : CLOBBERS);
  }
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static double gflops(void (*tile)(long), long reps, double flopsPerRep) {
  double t = now();
  tile(reps);
  return flopsPerRep * reps / (now() - t) * 1e-9;
}

/** A chain of dependent integer adds, one a cycle at any clock: adds per second is the core's clock. */
static double clock_ghz(void) {
  long n = 100000000, x = 0;
  double t = now();
  __asm__ volatile("1: add $1,%0\n add $1,%0\n add $1,%0\n add $1,%0\n sub $4,%1\n jnz 1b\n" : "+r"(x), "+r"(n));
  return 1e8 / (now() - t) * 1e-9;
}

// Upper halves of the vector registers left nonzero by 256- or 512-bit code before legacy SSE (or VEX-256) runs:
// on some CPUs legacy SSE then merges into each register's old value, a false dependency.
static void clean(void) { __asm__ volatile("vzeroupper" ::: "memory"); }
static void dirty_ymm(void) {
  __asm__ volatile("vpcmpeqd %%ymm14,%%ymm14,%%ymm14\n vpcmpeqd %%ymm15,%%ymm15,%%ymm15" ::: "xmm14", "xmm15");
}
static void dirty_zmm(void) {
  __asm__ volatile("vpternlogd $0xff,%%zmm14,%%zmm14,%%zmm14\n vpternlogd $0xff,%%zmm15,%%zmm15,%%zmm15" ::: "xmm14", "xmm15");
}

int main(int argc, char **argv) {
  native_tile_init();
  double sse = 2.0 * 6 * 8 * 256, avx2 = 2 * sse;
  if (argc > 1 && strcmp(argv[1], "upper") == 0) {
    for (int round = 0; round < 3; round++) {
      clean(); printf("legacy SSE, clean         %6.2f GFLOPS\n", gflops(native_tile, 200000, sse));
      dirty_ymm(); printf("legacy SSE, ymm dirty     %6.2f GFLOPS\n", gflops(native_tile, 200000, sse));
      dirty_zmm(); printf("legacy SSE, zmm dirty     %6.2f GFLOPS\n", gflops(native_tile, 200000, sse));
      clean(); printf("AVX2 FMA, clean           %6.2f GFLOPS\n", gflops(avx2_tile, 100000, avx2));
      dirty_zmm(); printf("AVX2 FMA, zmm dirty       %6.2f GFLOPS\n", gflops(avx2_tile, 100000, avx2));
    }
    clean();
  } else if (argc > 2 && strcmp(argv[1], "rounds") == 0) {
    // Rounds of about 0.4 s each: legacy SSE, then VEX-128, then AVX2, with the clock read before.
    for (int round = 0, rounds = atoi(argv[2]); round < rounds; round++) {
      double ghz = clock_ghz();
      double l = gflops(native_tile, 600000, sse), v = gflops(vex128_tile, 600000, sse);
      double f = gflops(avx2_tile, 300000, avx2);
      printf("round %3d legacy-sse %6.2f vex-128 %6.2f avx2-fma %6.2f GFLOPS clock %.2f GHz\n", round, l, v, f, ghz);
      fflush(stdout);
    }
  } else {
    fprintf(stderr, "usage: sse-tile upper | sse-tile rounds N\n");
    return 1;
  }
  return 0;
}
