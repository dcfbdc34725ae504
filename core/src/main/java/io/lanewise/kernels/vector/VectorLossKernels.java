package io.lanewise.kernels.vector;

import io.lanewise.kernels.KernelChecks;
import io.lanewise.kernels.LossKernels;
import io.lanewise.memory.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LossKernels} on the Vector API. Row sums of loss terms are kept per lane in float and reduced
 * once per row, in the fixed order of {@link VectorSupport}; the per-row results are accumulated in
 * double. Row sums of exponentials are added in column order (see {@code expRow}). Softmax runs unmasked
 * over whole vectors and masks only the last partial one; the mean squared error and binary
 * cross-entropy loops mask every vector instead, which keeps one copy of their bodies at some cost in
 * speed (masking every vector measured up to 2.4× slower in the optimizer loops): they run once per step
 * over the output layer only.
 */
public final class VectorLossKernels implements LossKernels {
    private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
    private static final int V = F.length();
    private static final VectorShuffle<Float> R8 = VectorSupport.ROTATE_8;
    private static final VectorShuffle<Float> R4 = VectorSupport.ROTATE_4;
    private static final VectorShuffle<Float> R2 = VectorSupport.ROTATE_2;
    private static final VectorShuffle<Float> R1 = VectorSupport.ROTATE_1;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

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
        double total = 0;
        for (int r = 0; r < y.rows(); r++) {
            long yo = (long) r * y.stride() * Float.BYTES;
            long to = (long) r * targets.stride() * Float.BYTES;
            long dOff = (long) r * dY.stride() * Float.BYTES;
            FloatVector acc = FloatVector.zero(F);
            // Masked-off lanes load as 0 in both operands, so they add 0 to the sum.
            for (int c = 0; c < cols; c += F.length()) {
                VectorMask<Float> m = F.indexInRange(c, cols);
                long b = (long) c * Float.BYTES;
                FloatVector d = FloatVector.fromMemorySegment(F, y.segment(), yo + b, ORDER, m)
                        .sub(FloatVector.fromMemorySegment(F, targets.segment(), to + b, ORDER, m));
                acc = d.fma(d, acc);
                d.mul(gradientScale).intoMemorySegment(dY.segment(), dOff + b, ORDER, m);
            }
            // The lane sum of VectorSupport, not reduceLanes(ADD): its order depends on the JIT.
            if (V > 8) {
                acc = acc.add(acc.rearrange(R8));
            }
            acc = acc.add(acc.rearrange(R4));
            acc = acc.add(acc.rearrange(R2));
            total += acc.add(acc.rearrange(R1)).lane(0);
        }
        return total / n;
    }

    @Override
    public double sigmoidBinaryCrossEntropy(Matrix logits, Matrix targets, Matrix dZ) {
        KernelChecks.sameShape(logits, "targets", targets);
        KernelChecks.sameShape(logits, "binary cross-entropy gradient", dZ);
        checkUnitTargets(targets);
        double n = (double) logits.rows() * logits.cols();
        float inverseN = (float) (1 / n);
        int cols = logits.cols();
        FloatVector one = FloatVector.broadcast(F, 1f);
        double total = 0;
        for (int r = 0; r < logits.rows(); r++) {
            long xo = (long) r * logits.stride() * Float.BYTES;
            long to = (long) r * targets.stride() * Float.BYTES;
            long dOff = (long) r * dZ.stride() * Float.BYTES;
            FloatVector acc = FloatVector.zero(F);
            for (int c = 0; c < cols; c += F.length()) {
                VectorMask<Float> m = F.indexInRange(c, cols);
                long b = (long) c * Float.BYTES;
                FloatVector x = FloatVector.fromMemorySegment(F, logits.segment(), xo + b, ORDER, m);
                FloatVector t = FloatVector.fromMemorySegment(F, targets.segment(), to + b, ORDER, m);
                // One exp serves both: e = e^-|x|, sigmoid(x) = (x < 0 ? e : 1) / (1 + e).
                FloatVector e = VectorMath.exp(x.abs().neg());
                FloatVector term = x.max(0f).sub(x.mul(t)).add(e.lanewise(VectorOperators.LOG1P));
                acc = acc.add(term, m);
                FloatVector sigmoid = one.blend(e, x.compare(VectorOperators.LT, 0f)).div(e.add(1f));
                sigmoid.sub(t).mul(inverseN).intoMemorySegment(dZ.segment(), dOff + b, ORDER, m);
            }
            // The lane sum of VectorSupport, not reduceLanes(ADD): its order depends on the JIT.
            if (V > 8) {
                acc = acc.add(acc.rearrange(R8));
            }
            acc = acc.add(acc.rearrange(R4));
            acc = acc.add(acc.rearrange(R2));
            total += acc.add(acc.rearrange(R1)).lane(0);
        }
        return total / n;
    }

    /** Throws, through {@link KernelChecks#unitTargets}, if a target is outside [0, 1] or NaN. */
    private static void checkUnitTargets(Matrix targets) {
        int cols = targets.cols();
        for (int r = 0; r < targets.rows(); r++) {
            long o = (long) r * targets.stride() * Float.BYTES;
            // Masked-off lanes load as 0, which is in range.
            for (int c = 0; c < cols; c += F.length()) {
                FloatVector t = FloatVector.fromMemorySegment(F, targets.segment(), o + (long) c * Float.BYTES, ORDER,
                        F.indexInRange(c, cols));
                if (!t.compare(VectorOperators.GE, 0f).and(t.compare(VectorOperators.LE, 1f)).allTrue()) {
                    KernelChecks.unitTargets(targets);
                }
            }
        }
    }

    private static float rowMax(MemorySegment s, long o, int cols) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int bound = F.loopBound(cols);
        int c = 0;
        for (; c < bound; c += F.length()) {
            acc = acc.max(FloatVector.fromMemorySegment(F, s, o + (long) c * Float.BYTES, ORDER));
        }
        if (c < cols) {
            VectorMask<Float> m = F.indexInRange(c, cols);
            acc = acc.lanewise(VectorOperators.MAX, FloatVector.fromMemorySegment(F, s, o + (long) c * Float.BYTES, ORDER, m), m);
        }
        return acc.reduceLanes(VectorOperators.MAX);
    }

    /**
     * Writes e^(z − max) from byte offset {@code zo} to {@code dOff} and returns their sum, added in column
     * order by a scalar pass: {@code reduceLanes(ADD)} adds in one order compiled and another interpreted,
     * and softmax gradients, and so the parameters, then depended on JIT timing.
     */
    private static float expRow(MemorySegment zs, long zo, float max, MemorySegment ds, long dOff, int cols) {
        int bound = F.loopBound(cols);
        int c = 0;
        for (; c < bound; c += F.length()) {
            long b = (long) c * Float.BYTES;
            VectorMath.exp(FloatVector.fromMemorySegment(F, zs, zo + b, ORDER).sub(max)).intoMemorySegment(ds, dOff + b, ORDER);
        }
        if (c < cols) {
            long b = (long) c * Float.BYTES;
            VectorMask<Float> m = F.indexInRange(c, cols);
            VectorMath.exp(FloatVector.fromMemorySegment(F, zs, zo + b, ORDER, m).sub(max)).intoMemorySegment(ds, dOff + b, ORDER, m);
        }
        double sum = 0; // in double: a sequential float sum over 1,000 classes loses more than the tree did
        for (int i = 0; i < cols; i++) {
            sum += ds.get(ValueLayout.JAVA_FLOAT, dOff + (long) i * Float.BYTES);
        }
        return (float) sum;
    }
}
