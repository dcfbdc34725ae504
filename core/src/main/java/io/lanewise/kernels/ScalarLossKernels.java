package io.lanewise.kernels;

import io.lanewise.kernels.internal.KernelChecks;
import io.lanewise.memory.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** {@link LossKernels} one float at a time: the fallback path. Row sums of exponentials are kept in double. */
public final class ScalarLossKernels implements LossKernels {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    @Override
    public void softmax(Matrix z, Matrix p) {
        KernelChecks.sameShape(z, "softmax output", p);
        for (int r = 0; r < z.rows(); r++) {
            long zi = (long) r * z.stride();
            long pi = (long) r * p.stride();
            float max = rowMax(z.segment(), zi, z.cols());
            double sum = expRow(z.segment(), zi, max, p.segment(), pi, z.cols());
            ScalarReductionKernels.scaleRow(p.segment(), pi, z.cols(), (float) (1 / sum));
        }
    }

    @Override
    public double softmaxCrossEntropy(Matrix logits, int[] labels, int labelOffset, Matrix dZ) {
        KernelChecks.sameShape(logits, "softmax cross-entropy gradient", dZ);
        KernelChecks.labels(logits, labels, labelOffset);
        int batch = logits.rows();
        float inverseBatch = 1f / batch;
        double total = 0;
        for (int r = 0; r < batch; r++) {
            long zi = (long) r * logits.stride();
            long di = (long) r * dZ.stride();
            int label = labels[labelOffset + r];
            // Read before dZ (possibly the same memory) is written.
            float labelLogit = logits.segment().getAtIndex(FLOAT, zi + label);
            float max = rowMax(logits.segment(), zi, logits.cols());
            double sum = expRow(logits.segment(), zi, max, dZ.segment(), di, logits.cols());
            total += max + Math.log(sum) - labelLogit;
            ScalarReductionKernels.scaleRow(dZ.segment(), di, logits.cols(), (float) (1 / (sum * batch)));
            MemorySegment ds = dZ.segment();
            ds.setAtIndex(FLOAT, di + label, ds.getAtIndex(FLOAT, di + label) - inverseBatch);
        }
        return total / batch;
    }

    @Override
    public double meanSquaredError(Matrix y, Matrix targets, Matrix dY) {
        KernelChecks.sameShape(y, "targets", targets);
        KernelChecks.sameShape(y, "mean squared error gradient", dY);
        double n = (double) y.rows() * y.cols();
        float gradientScale = (float) (2 / n);
        double total = 0;
        for (int r = 0; r < y.rows(); r++) {
            long yi = (long) r * y.stride();
            long ti = (long) r * targets.stride();
            long di = (long) r * dY.stride();
            for (int c = 0; c < y.cols(); c++) {
                float d = y.segment().getAtIndex(FLOAT, yi + c) - targets.segment().getAtIndex(FLOAT, ti + c);
                total += d * d;
                dY.segment().setAtIndex(FLOAT, di + c, gradientScale * d);
            }
        }
        return total / n;
    }

    @Override
    public double sigmoidBinaryCrossEntropy(Matrix logits, Matrix targets, Matrix dZ) {
        KernelChecks.sameShape(logits, "targets", targets);
        KernelChecks.sameShape(logits, "binary cross-entropy gradient", dZ);
        KernelChecks.unitTargets(targets);
        double n = (double) logits.rows() * logits.cols();
        float inverseN = (float) (1 / n);
        double total = 0;
        for (int r = 0; r < logits.rows(); r++) {
            long xi = (long) r * logits.stride();
            long ti = (long) r * targets.stride();
            long di = (long) r * dZ.stride();
            for (int c = 0; c < logits.cols(); c++) {
                float x = logits.segment().getAtIndex(FLOAT, xi + c);
                float t = targets.segment().getAtIndex(FLOAT, ti + c);
                total += Math.max(x, 0f) - x * t + (float) Math.log1p(Math.exp(-Math.abs(x)));
                dZ.segment().setAtIndex(FLOAT, di + c, (ScalarActivations.sigmoid(x) - t) * inverseN);
            }
        }
        return total / n;
    }

    private static float rowMax(MemorySegment s, long i, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, s.getAtIndex(FLOAT, i + c));
        }
        return max;
    }

    /** Writes e^(z − max) and returns their sum. */
    private static double expRow(MemorySegment zs, long zi, float max, MemorySegment ds, long di, int cols) {
        double sum = 0;
        for (int c = 0; c < cols; c++) {
            float e = (float) Math.exp(zs.getAtIndex(FLOAT, zi + c) - max);
            ds.setAtIndex(FLOAT, di + c, e);
            sum += e;
        }
        return sum;
    }
}
