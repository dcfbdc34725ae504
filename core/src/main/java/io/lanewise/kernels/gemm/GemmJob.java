package io.lanewise.kernels.gemm;

import io.lanewise.memory.GemmOp;
import io.lanewise.memory.Matrix;
import io.lanewise.spec.Activation;
import java.lang.foreign.MemorySegment;

/**
 * One GEMM call, {@code C = epilogue(alpha·op(A)·op(B) + beta·C)}, as the loop nest ({@link GemmLoops})
 * reads it: operands as segments with row strides in floats. A {@link Gemm} owns one job and refills it on
 * every call, so a call allocates nothing.
 *
 * <p>Plain fields: the caller fills them before it posts the job to the workers (a volatile write in
 * {@link GemmWorkers}), and each worker reads them after seeing that write.
 */
final class GemmJob {
    boolean transposeA;
    boolean transposeB;
    /** Rows of C. */
    int m;
    /** Columns of C. */
    int n;
    /** Steps of the inner dimension. */
    int k;
    /** How many threads share the call: each computes its own whole panels of C's columns. */
    int parts;
    float alpha;
    float beta;
    MemorySegment a;
    long lda;
    /** B as stored; null when B was packed ahead of time ({@link #packedB}). */
    MemorySegment b;
    long ldb;
    /** B in {@link PackedMatrix}'s panel layout; null when B is read as stored. */
    MemorySegment packedB;
    MemorySegment c;
    long ldc;
    /** {@link GemmKernel#PLAIN}, {@link GemmKernel#FORWARD} or {@link GemmKernel#BACKWARD}. */
    int epilogue;
    /** The activation of the forward or backward epilogue; null for PLAIN. */
    Activation activation;
    /** The bias row of the forward epilogue; null for none. */
    MemorySegment bias;
    /** Z: written by the forward epilogue (null: not kept), read by the backward one. */
    MemorySegment z;
    long ldz;

    /** Fills the job for one call; {@code packed} replaces {@code bm} when not null. */
    void set(GemmOp op, Matrix am, Matrix bm, PackedMatrix packed, float alpha, float beta, Matrix cm, int epilogue,
             Activation activation, Matrix biasRow, Matrix zm, int parts) {
        this.transposeA = op.transposeA();
        this.transposeB = op.transposeB();
        this.m = cm.rows();
        this.n = cm.cols();
        this.k = transposeA ? am.rows() : am.cols();
        this.parts = parts;
        this.alpha = alpha;
        this.beta = beta;
        this.a = am.segment();
        this.lda = am.stride();
        if (packed != null) {
            this.packedB = packed.segment();
            this.b = null;
            this.ldb = 0;
        } else {
            this.packedB = null;
            this.b = bm.segment();
            this.ldb = bm.stride();
        }
        this.c = cm.segment();
        this.ldc = cm.stride();
        this.epilogue = epilogue;
        this.activation = activation;
        this.bias = biasRow == null ? null : biasRow.segment();
        this.z = zm == null ? null : zm.segment();
        this.ldz = zm == null ? 0 : zm.stride();
    }
}
