import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.memory.GemmOp;
import io.lanewise.kernels.vector.VectorSupport;
import io.lanewise.memory.Matrix;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_full;

/**
 * Is AVX2's slow mode in the GEMM or in the machine? Rounds of: Lanewise's GEMM, OpenBLAS's GEMM on the same
 * shape, and a register-only FMA loop (no memory), each for SLICE seconds, printing each one's GFLOPS and the
 * CPU the thread ran on. If the GEMM's slow rounds are also the FMA loop's, the machine is slow then.
 *   java --add-modules jdk.incubator.vector -XX:UseAVX=2 -cp benchmarks.jar SlowMode.java M K N OP ROUNDS
 */
public class SlowMode {
    static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    static final double SLICE = 0.4;
    static float sink;

    public static void main(String[] args) throws Exception {
        int m = Integer.parseInt(args[0]), k = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]);
        GemmOp op = GemmOp.valueOf(args[3]);
        int rounds = Integer.parseInt(args[4]);
        String run = args.length > 5 ? args[5] : "LOP"; // which of Lanewise, OpenBLAS, Peak run in each round
        int aRows = op.transposeA() ? k : m, aCols = op.transposeA() ? m : k;
        int bRows = op.transposeB() ? n : k, bCols = op.transposeB() ? k : n;
        SplittableRandom r = new SplittableRandom(1);
        float[] av = new float[aRows * aCols], bv = new float[bRows * bCols];
        for (int i = 0; i < av.length; i++) av[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < bv.length; i++) bv[i] = (float) r.nextDouble(-1, 1);
        Arena arena = Arena.ofShared();
        Matrix a = matrix(arena, aRows, aCols, av), b = matrix(arena, bRows, bCols, bv), c = matrix(arena, m, n, new float[m * n]);
        Gemm gemm = Gemm.create();
        openblas_full.openblas_set_num_threads(1);
        FloatPointer pa = new FloatPointer(av), pb = new FloatPointer(bv), pc = new FloatPointer(new float[m * n]);
        System.out.println("openblas core " + openblas_full.openblas_get_corename().getString() + ", vectors " + F.vectorBitSize());
        double flopsPerCall = 2.0 * m * k * n;
        for (int round = -40; round < rounds; round++) { // 40 rounds of warm-up (~50 s)
            long s0 = steal();
            long t0 = System.nanoTime(), calls = 0;
            while (run.contains("L") && System.nanoTime() - t0 < SLICE * 1e9) { gemm.multiply(op, 1f, a, b, 0f, c); calls++; }
            double lw = calls * flopsPerCall / (System.nanoTime() - t0);
            int cpu1 = cpu();
            long s1 = steal();
            t0 = System.nanoTime(); calls = 0;
            while (run.contains("O") && System.nanoTime() - t0 < SLICE * 1e9) {
                openblas_full.cblas_sgemm(openblas_full.CblasRowMajor, op.transposeA() ? openblas_full.CblasTrans : openblas_full.CblasNoTrans,
                        op.transposeB() ? openblas_full.CblasTrans : openblas_full.CblasNoTrans, m, n, k, 1f, pa, aCols, pb, bCols, 0f, pc, n);
                calls++;
            }
            double ob = calls * flopsPerCall / (System.nanoTime() - t0);
            int cpu2 = cpu();
            long s2 = steal();
            t0 = System.nanoTime(); calls = 0;
            while (run.contains("P") && System.nanoTime() - t0 < SLICE * 1e9) { sink += peak(); calls++; }
            double pk = calls * 2.0 * F.length() * 12 * 4096 / (System.nanoTime() - t0);
            int cpu3 = cpu();
            if (round >= 0) {
                System.out.printf("round %3d lanewise %6.1f openblas %6.1f peak %6.1f GFLOPS  ratio %.2f  cpus %d %d %d  steal %d %d%n",
                        round, lw, ob, pk, lw / ob, cpu1, cpu2, cpu3, s1 - s0, s2 - s1);
            }
        }
        System.out.println(sink == 42 ? "" : "done");
    }

    static Matrix matrix(Arena arena, int rows, int cols, float[] values) {
        int stride = Matrix.paddedStride(cols);
        Matrix mat = Matrix.wrap(arena.allocate((long) rows * stride * Float.BYTES, Matrix.ALIGNMENT_BYTES), rows, cols, stride);
        mat.copyFrom(values);
        return mat;
    }

    /** Ticks stolen by the hypervisor from all CPUs so far: field 8 of /proc/stat's first line. */
    static long steal() throws Exception {
        String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
        return Long.parseLong(line.trim().split("\\s+")[8]);
    }

    /** The CPU this thread last ran on: field 39 of /proc/thread-self/stat. */
    static int cpu() throws Exception {
        String s = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[39 - 3]);
    }

    static float peak() {
        FloatVector m = FloatVector.broadcast(F, 0.999f), d = FloatVector.broadcast(F, 1e-4f);
        FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < 4096; i++) {
            a0 = a0.fma(m, d); a1 = a1.fma(m, d); a2 = a2.fma(m, d); a3 = a3.fma(m, d); a4 = a4.fma(m, d); a5 = a5.fma(m, d);
            a6 = a6.fma(m, d); a7 = a7.fma(m, d); a8 = a8.fma(m, d); a9 = a9.fma(m, d); a10 = a10.fma(m, d); a11 = a11.fma(m, d);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).lane(0);
    }
}
