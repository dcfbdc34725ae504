package io.lanewise.kernels.vector;

import static io.lanewise.kernels.vector.VectorSupport.FMA;
import static io.lanewise.kernels.vector.VectorSupport.fma;

import io.lanewise.kernels.internal.KernelChecks;
import io.lanewise.kernels.LossKernels;
import io.lanewise.kernels.ScalarLossKernels;
import io.lanewise.memory.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LossKernels} on the Vector API. Row sums of loss terms are kept per lane in float over a row's
 * whole vectors and reduced once per row, in the fixed order of {@link VectorSupport}; the terms of the
 * elements past the last whole vector are then added in column order; the per-row results are
 * accumulated in double. Row sums of exponentials are added in column order (see {@code expRow}).
 * Elements past a row's last whole vector go one at a time through scalar twins of the vector formulas
 * (the same bits), so no masked operation is needed (see {@link VectorSupport}). Softmax needs compares,
 * min and max: where those are not compiled ({@link VectorSupport#FULL} false), its rows run the scalar
 * twins throughout. Binary cross-entropy is the scalar kernel's.
 */
public final class VectorLossKernels implements LossKernels {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final int V = F.length();
    private static final VectorShuffle<Float> R8 = VectorSupport.ROTATE_8;
    private static final VectorShuffle<Float> R4 = VectorSupport.ROTATE_4;
    private static final VectorShuffle<Float> R2 = VectorSupport.ROTATE_2;
    private static final VectorShuffle<Float> R1 = VectorSupport.ROTATE_1;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final LossKernels SCALAR = new ScalarLossKernels();

    @Override
    public void softmax(Matrix z, Matrix p) {
        KernelChecks.sameShape(z, "softmax output", p);
        for (int r = 0; r < z.rows(); r++) {
            long zo = (long) r * z.stride() * Float.BYTES;
            long po = (long) r * p.stride() * Float.BYTES;
            float max = rowMax(z.segment(), zo, z.cols());
            float sum = expRow(z.segment(), zo, max, p.segment(), po, z.cols());
            VectorReductionKernels.scaleRow(p.segment(), po, z.cols(), 1f / sum);
        }
    }

    @Override
    public double softmaxCrossEntropy(Matrix logits, int[] labels, int labelOffset, Matrix dZ) {
        KernelChecks.sameShape(logits, "softmax cross-entropy gradient", dZ);
        KernelChecks.labels(logits, labels, labelOffset);
        int batch = logits.rows();
        int cols = logits.cols();
        float inverseBatch = 1f / batch;
        MemorySegment zs = logits.segment();
        MemorySegment ds = dZ.segment();
        double total = 0;
        for (int r = 0; r < batch; r++) {
            long zo = (long) r * logits.stride() * Float.BYTES;
            long dOff = (long) r * dZ.stride() * Float.BYTES;
            int label = labels[labelOffset + r];
            // Read before dZ (possibly the same memory) is written.
            float labelLogit = zs.get(FLOAT, zo + (long) label * Float.BYTES);
            float max = rowMax(zs, zo, cols);
            float sum = expRow(zs, zo, max, ds, dOff, cols);
            total += max + Math.log(sum) - labelLogit;
            VectorReductionKernels.scaleRow(ds, dOff, cols, (float) (1.0 / ((double) sum * batch)));
            long labelByte = dOff + (long) label * Float.BYTES;
            ds.set(FLOAT, labelByte, ds.get(FLOAT, labelByte) - inverseBatch);
        }
        return total / batch;
    }

    @Override
    public double meanSquaredError(Matrix y, Matrix targets, Matrix dY) {
        KernelChecks.sameShape(y, "targets", targets);
        KernelChecks.sameShape(y, "mean squared error gradient", dY);
        double n = (double) y.rows() * y.cols();
        float gradientScale = (float) (2 / n);
        int cols = y.cols();
        int bound = F.loopBound(cols);
        double total = 0;
        for (int r = 0; r < y.rows(); r++) {
            long yo = (long) r * y.stride() * Float.BYTES;
            long to = (long) r * targets.stride() * Float.BYTES;
            long dOff = (long) r * dY.stride() * Float.BYTES;
            FloatVector acc = FloatVector.zero(F);
            int c = 0;
            for (; c < bound; c += F.length()) {
                long b = (long) c * Float.BYTES;
                FloatVector d = FloatVector.fromMemorySegment(F, y.segment(), yo + b, ORDER)
                        .sub(FloatVector.fromMemorySegment(F, targets.segment(), to + b, ORDER));
                acc = (FMA ? d.fma(d, acc) : d.mul(d).add(acc));
                d.mul(gradientScale).intoMemorySegment(dY.segment(), dOff + b, ORDER);
            }
            // The lane sum of VectorSupport, not reduceLanes(ADD): its order depends on the JIT.
            if (V > 8) {
                acc = acc.add(acc.rearrange(R8));
            }
            if (V > 4) {
                acc = acc.add(acc.rearrange(R4));
            }
            acc = acc.add(acc.rearrange(R2));
            float sum = acc.add(acc.rearrange(R1)).lane(0);
            for (; c < cols; c++) {
                long b = (long) c * Float.BYTES;
                float d = y.segment().get(FLOAT, yo + b) - targets.segment().get(FLOAT, to + b);
                sum = fma(d, d, sum);
                dY.segment().set(FLOAT, dOff + b, d * gradientScale);
            }
            total += sum;
        }
        return total / n;
    }

    /**
     * The scalar kernel's: a loss layer of a few columns gains little from vectors, and its exp and log1p
     * are then those of {@link Math}, the same in every JIT state.
     */
    @Override
    public double sigmoidBinaryCrossEntropy(Matrix logits, Matrix targets, Matrix dZ) {
        return SCALAR.sigmoidBinaryCrossEntropy(logits, targets, dZ);
    }

    /** The largest of {@code cols} floats from byte offset {@code o} (NaN if one is): max is exact, any order gives it. */
    private static float rowMax(MemorySegment s, long o, int cols) {
        int bound = VectorSupport.FULL ? F.loopBound(cols) : 0;
        float max = Float.NEGATIVE_INFINITY;
        int c = 0;
        if (bound > 0) {
            FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (; c < bound; c += F.length()) {
                acc = acc.max(FloatVector.fromMemorySegment(F, s, o + (long) c * Float.BYTES, ORDER));
            }
            max = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; c < cols; c++) {
            max = Math.max(max, s.get(FLOAT, o + (long) c * Float.BYTES));
        }
        return max;
    }

    /**
     * Writes e^(z − max) from byte offset {@code zo} to {@code dOff} and returns their sum, added in column
     * order by a scalar pass: {@code reduceLanes(ADD)} adds in one order compiled and another interpreted,
     * and softmax gradients, and so the parameters, then depended on JIT timing.
     */
    private static float expRow(MemorySegment zs, long zo, float max, MemorySegment ds, long dOff, int cols) {
        VectorMath.row(ExpForm.EXP, -max, zs, zo, zs, zo, ds, dOff, cols);
        double sum = 0; // in double: a sequential float sum over 1,000 classes loses more than the tree did
        for (int i = 0; i < cols; i++) {
            sum += ds.get(ValueLayout.JAVA_FLOAT, dOff + (long) i * Float.BYTES);
        }
        return (float) sum;
    }
}
