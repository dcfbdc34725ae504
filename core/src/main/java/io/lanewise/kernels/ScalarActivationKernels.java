package io.lanewise.kernels;

import io.lanewise.kernels.internal.KernelChecks;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** {@link ActivationKernels} one float at a time, with {@link ScalarActivations}: the fallback path. */
public final class ScalarActivationKernels implements ActivationKernels {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    @Override
    public void forward(Activation f, Matrix z, Matrix a) {
        KernelChecks.sameShape(z, "activation output", a);
        Activation.Kind kind = f.kind();
        float alpha = f.alpha();
        MemorySegment zs = z.segment();
        MemorySegment as = a.segment();
        for (int r = 0; r < z.rows(); r++) {
            long zi = (long) r * z.stride();
            long ai = (long) r * a.stride();
            for (int c = 0; c < z.cols(); c++) {
                as.setAtIndex(FLOAT, ai + c, ScalarActivations.apply(kind, alpha, zs.getAtIndex(FLOAT, zi + c)));
            }
        }
    }

    @Override
    public void backward(Activation f, Matrix z, Matrix dA, Matrix dZ) {
        KernelChecks.sameShape(z, "upstream gradient", dA);
        KernelChecks.sameShape(z, "activation gradient", dZ);
        Activation.Kind kind = f.kind();
        float alpha = f.alpha();
        MemorySegment zs = z.segment();
        MemorySegment das = dA.segment();
        MemorySegment dzs = dZ.segment();
        for (int r = 0; r < z.rows(); r++) {
            long zi = (long) r * z.stride();
            long dai = (long) r * dA.stride();
            long dzi = (long) r * dZ.stride();
            for (int c = 0; c < z.cols(); c++) {
                float d = ScalarActivations.derivative(kind, alpha, zs.getAtIndex(FLOAT, zi + c));
                dzs.setAtIndex(FLOAT, dzi + c, das.getAtIndex(FLOAT, dai + c) * d);
            }
        }
    }
}
