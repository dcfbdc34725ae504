package io.lanewise.bench;

import io.lanewise.kernels.gemm.Gemm;
import io.lanewise.kernels.gemm.PackedMatrix;
import io.lanewise.memory.GemmOp;
import io.lanewise.memory.Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_full;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code C = op(A)·op(B)} (alpha 1, beta 0), float32, row-major, one thread, for each implementation on
 * the same shapes in the same run. The score is calls per second; the {@code flops} secondary result is
 * FLOP/s ({@code 2·M·K·N} per call), so GFLOPS = flops / 10⁹.
 *
 * <ul>
 *   <li>{@code lanewise}: {@link Gemm} on off-heap matrices (packing B on every call where it packs).</li>
 *   <li>{@code lanewisePacked}: {@link Gemm} with B packed once at setup (the serving path); A not
 *       transposed, so ops NN and NT only.</li>
 *   <li>{@code openblas}: {@code cblas_sgemm} through bytedeco's preset, on pointers to the same kind of
 *       off-heap memory (JavaCPP would copy a {@code float[]} on every call), one OpenBLAS thread.</li>
 *   <li>{@code ejml}: {@code CommonOps_FDRM.mult / multTransB / multTransA} on {@code FMatrixRMaj}.</li>
 *   <li>{@code naive}: the textbook loops on {@code float[]}, in the order that reads rows contiguously.</li>
 * </ul>
 *
 * <p>{@code lanewise bench --isa avx512|avx2|sse} runs Lanewise ({@code -XX:UseAVX}) and OpenBLAS
 * ({@code OPENBLAS_CORETYPE}) at one instruction-set level; setup prints the kernels, UseAVX and OpenBLAS core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2) // 10 s: C2 compiles in the background, slowly on 2 cores
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark extends BenchmarkFork {
    @Param({"lanewise", "lanewisePacked", "openblas", "ejml", "naive"})
    public String impl;

    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024",
            "1x784x256", "128x784x256", "128x256x128", "128x128x10", "256x1024x1024"})
    public String shape;

    @Param({"NN", "NT", "TN"})
    public GemmOp op;

    private int m;
    private int k;
    private int n;
    private Arena arena;
    private Gemm gemm;
    private Matrix a;
    private Matrix b;
    private Matrix c;
    private PackedMatrix packed;
    private FloatPointer pa;
    private FloatPointer pb;
    private FloatPointer pc;
    private FMatrixRMaj ea;
    private FMatrixRMaj eb;
    private FMatrixRMaj ec;
    private float[] na;
    private float[] nb;
    private float[] nc;

    /** Counts FLOPs, reported by JMH as a rate next to the time per call. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** Floating-point operations done. */
        public long flops;
    }

    @Setup(Level.Trial)
    @SuppressWarnings("MustBeClosedChecker") // the arena lives for the trial, closed in tearDown()
    public void setUp() {
        String[] dims = shape.split("x");
        m = Integer.parseInt(dims[0]);
        k = Integer.parseInt(dims[1]);
        n = Integer.parseInt(dims[2]);
        int aRows = op.transposeA() ? k : m;
        int aCols = op.transposeA() ? m : k;
        int bRows = op.transposeB() ? n : k;
        int bCols = op.transposeB() ? k : n;
        SplittableRandom r = new SplittableRandom(1);
        float[] av = random(r, aRows * aCols);
        float[] bv = random(r, bRows * bCols);
        arena = Arena.ofShared();
        switch (impl) {
            case "lanewise", "lanewisePacked" -> {
                a = matrix(aRows, aCols, av);
                b = matrix(bRows, bCols, bv);
                c = matrix(m, n, new float[m * n]);
                gemm = Gemm.create();
                if (impl.equals("lanewisePacked")) {
                    if (op.transposeA()) {
                        throw new IllegalArgumentException("lanewisePacked takes ops NN and NT only");
                    }
                    packed = PackedMatrix.wrap(arena.allocate(PackedMatrix.bytesFor(k, n), Matrix.ALIGNMENT_BYTES), k, n);
                    packed.pack(b, op.transposeB());
                }
                IsaReport.printLanewise();
            }
            case "openblas" -> {
                openblas_full.openblas_set_num_threads(1);
                System.out.println("\n" + IsaReport.level() + "; " + IsaReport.jvm() + "\n"
                        + openblas_full.openblas_get_config().getString() + "; core "
                        + openblas_full.openblas_get_corename().getString() + "; " + IsaReport.openBlasCoreType()
                        + "; threads " + openblas_full.openblas_get_num_threads());
                pa = pointer(av);
                pb = pointer(bv);
                pc = pointer(new float[m * n]);
            }
            case "ejml" -> {
                System.out.println("\n" + IsaReport.level() + "; " + IsaReport.jvm());
                ea = new FMatrixRMaj(aRows, aCols, true, av);
                eb = new FMatrixRMaj(bRows, bCols, true, bv);
                ec = new FMatrixRMaj(m, n);
            }
            case "naive" -> {
                System.out.println("\n" + IsaReport.level() + "; " + IsaReport.jvm());
                na = av;
                nb = bv;
                nc = new float[m * n];
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (gemm != null) {
            gemm.close();
        }
        arena.close();
    }

    @Benchmark
    public Object multiply(Flops counter) {
        counter.flops += 2L * m * k * n;
        switch (impl) {
            case "lanewise" -> {
                gemm.multiply(op, 1f, a, b, 0f, c);
                return c;
            }
            case "lanewisePacked" -> {
                gemm.multiply(1f, a, packed, 0f, c);
                return c;
            }
            case "openblas" -> {
                openblas_full.cblas_sgemm(openblas_full.CblasRowMajor,
                        op.transposeA() ? openblas_full.CblasTrans : openblas_full.CblasNoTrans,
                        op.transposeB() ? openblas_full.CblasTrans : openblas_full.CblasNoTrans,
                        m, n, k, 1f, pa, op.transposeA() ? m : k, pb, op.transposeB() ? k : n, 0f, pc, n);
                return pc;
            }
            case "ejml" -> {
                switch (op) {
                    case NN -> CommonOps_FDRM.mult(ea, eb, ec);
                    case NT -> CommonOps_FDRM.multTransB(ea, eb, ec);
                    case TN -> CommonOps_FDRM.multTransA(ea, eb, ec);
                }
                return ec;
            }
            default -> {
                naive(op, na, nb, nc, m, k, n);
                return nc;
            }
        }
    }

    /** The textbook loops: i-p-j for NN and TN (rows of B contiguous), dot products for NT. */
    static void naive(GemmOp op, float[] a, float[] b, float[] c, int m, int k, int n) {
        if (op == GemmOp.NT) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        s += a[i * k + p] * b[j * k + p];
                    }
                    c[i * n + j] = s;
                }
            }
            return;
        }
        java.util.Arrays.fill(c, 0f);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float x = op == GemmOp.TN ? a[p * m + i] : a[i * k + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += x * b[p * n + j];
                }
            }
        }
    }

    private Matrix matrix(int rows, int cols, float[] values) {
        int stride = Matrix.paddedStride(cols);
        Matrix mat = Matrix.wrap(arena.allocate((long) rows * stride * Float.BYTES, Matrix.ALIGNMENT_BYTES), rows, cols, stride);
        mat.copyFrom(values);
        return mat;
    }

    /** A JavaCPP pointer over 64-byte aligned off-heap memory holding {@code values}, dense row-major. */
    private FloatPointer pointer(float[] values) {
        MemorySegment s = arena.allocate((long) values.length * Float.BYTES, 64);
        MemorySegment.copy(values, 0, s, java.lang.foreign.ValueLayout.JAVA_FLOAT, 0, values.length);
        return new FloatPointer(s.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer());
    }

    private static float[] random(SplittableRandom r, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}
