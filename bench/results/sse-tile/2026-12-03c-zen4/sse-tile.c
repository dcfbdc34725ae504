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

// Zeroes the 12 accumulators before a tile's loop (a VEX.128 xor clears the whole register; outside the loop).
#define ZERO_ACCUMULATORS \
  "vxorps %%xmm0,%%xmm0,%%xmm0\n vxorps %%xmm1,%%xmm1,%%xmm1\n vxorps %%xmm2,%%xmm2,%%xmm2\n" \
  "vxorps %%xmm3,%%xmm3,%%xmm3\n vxorps %%xmm4,%%xmm4,%%xmm4\n vxorps %%xmm5,%%xmm5,%%xmm5\n" \
  "vxorps %%xmm6,%%xmm6,%%xmm6\n vxorps %%xmm7,%%xmm7,%%xmm7\n vxorps %%xmm8,%%xmm8,%%xmm8\n" \
  "vxorps %%xmm9,%%xmm9,%%xmm9\n vxorps %%xmm10,%%xmm10,%%xmm10\n vxorps %%xmm11,%%xmm11,%%xmm11\n"
// The k loop's step and exit: A's panel moves 6 floats, B's by the given bytes.
#define NEXT_STEP(b_bytes) "add $24,%0\n add $" #b_bytes ",%1\n dec %2\n jnz 1b\n"

#define CLOBBERS "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", \
  "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

// One tile function: reps passes of the k loop over the panels, each from zeroed accumulators. LOAD_B loads the
// step's two B vectors into register 12 and 13; ROW6 is the six rows' arithmetic; B_BYTES the B panel's step.
#define TILE(linkage, name, LOAD_B, ROW6, B_BYTES)                                                              \
  linkage void name(long reps) {                                                                               \
    for (long r = 0; r < reps; r++) {                                                                          \
      const float *ap = a, *bp = b;                                                                            \
      long k = 256;                                                                                            \
      __asm__ volatile(ZERO_ACCUMULATORS "1:\n" LOAD_B ROW6 NEXT_STEP(B_BYTES)                                 \
                       : "+r"(ap), "+r"(bp), "+r"(k) : : CLOBBERS);                                            \
    }                                                                                                          \
  }
#define SIX_ROWS(ROW) ROW(0, 0, 1) ROW(4, 2, 3) ROW(8, 4, 5) ROW(12, 6, 7) ROW(16, 8, 9) ROW(20, 10, 11)

// Legacy SSE (exported for the JVM harness): reps × 2·6·8·256 flops. One copy per row, of the broadcast.
#define SSE_ROW(off, c0, c1)                                                                                   \
  "movss " #off "(%0),%%xmm14\n shufps $0,%%xmm14,%%xmm14\n movaps %%xmm14,%%xmm15\n"                          \
  "mulps %%xmm12,%%xmm15\n addps %%xmm15,%%xmm" #c0 "\n mulps %%xmm13,%%xmm14\n addps %%xmm14,%%xmm" #c1 "\n"
TILE(, native_tile, "movups (%1),%%xmm12\n movups 16(%1),%%xmm13\n", SIX_ROWS(SSE_ROW), 32)

// VEX-128: the same arithmetic in three-operand encodings, no copies.
#define VEX128_ROW(off, c0, c1)                                                                                \
  "vbroadcastss " #off "(%0),%%xmm14\n vmulps %%xmm14,%%xmm12,%%xmm15\n vaddps %%xmm15,%%xmm" #c0 ",%%xmm" #c0 "\n" \
  "vmulps %%xmm14,%%xmm13,%%xmm15\n vaddps %%xmm15,%%xmm" #c1 ",%%xmm" #c1 "\n"
TILE(static, vex128_tile, "vmovups (%1),%%xmm12\n vmovups 16(%1),%%xmm13\n", SIX_ROWS(VEX128_ROW), 32)

// AVX2: 6 rows × 2 vectors of 8 with FMA, as Lanewise's tile under -XX:UseAVX=2; reps × 2·6·16·256 flops.
#define AVX2_ROW(off, c0, c1)                                                                                  \
  "vbroadcastss " #off "(%0),%%ymm14\n vfmadd231ps %%ymm14,%%ymm12,%%ymm" #c0 "\n"                            \
  "vfmadd231ps %%ymm14,%%ymm13,%%ymm" #c1 "\n"
TILE(static, avx2_tile, "vmovups (%1),%%ymm12\n vmovups 32(%1),%%ymm13\n", SIX_ROWS(AVX2_ROW), 64)

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
