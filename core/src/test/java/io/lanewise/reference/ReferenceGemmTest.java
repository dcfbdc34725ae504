package io.lanewise.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.memory.GemmOp;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReferenceGemmTest {

    private static DoubleMatrix m(int rows, int cols, double... v) {
        return new DoubleMatrix(rows, cols, v);
    }

    private static DoubleMatrix transpose(DoubleMatrix a) {
        DoubleMatrix t = DoubleMatrix.zeros(a.cols(), a.rows());
        for (int r = 0; r < a.rows(); r++) {
            for (int c = 0; c < a.cols(); c++) {
                t.set(c, r, a.get(r, c));
            }
        }
        return t;
    }

    @Test
    void multipliesAHandWorkedExample() {
        DoubleMatrix a = m(2, 3, 1, 2, 3, 4, 5, 6);
        DoubleMatrix b = m(3, 2, 7, 8, 9, 10, 11, 12);
        DoubleMatrix c = DoubleMatrix.zeros(2, 2);
        ReferenceGemm.gemm(GemmOp.NN, 1, a, b, 0, c);
        assertArrayEquals(new double[] {58, 64, 139, 154}, c.data());
    }

    @Test
    void appliesAlphaAndBeta() {
        DoubleMatrix a = m(1, 2, 1, 2);
        DoubleMatrix b = m(2, 1, 3, 4);
        DoubleMatrix c = m(1, 1, 10);
        ReferenceGemm.gemm(GemmOp.NN, 2, a, b, 0.5, c);
        assertArrayEquals(new double[] {2 * 11 + 5}, c.data());
    }

    @Test
    void betaZeroNeverReadsC() {
        DoubleMatrix c = m(1, 1, Double.NaN);
        ReferenceGemm.gemm(GemmOp.NN, 1, m(1, 1, 2), m(1, 1, 3), 0, c);
        assertArrayEquals(new double[] {6}, c.data());
    }

    @Test
    void transposedOpsEqualExplicitTransposes() {
        Random random = new Random(7);
        DoubleMatrix a = DoubleMatrix.zeros(5, 3);
        DoubleMatrix b = DoubleMatrix.zeros(3, 4);
        for (double[] d : new double[][] {a.data(), b.data()}) {
            for (int i = 0; i < d.length; i++) {
                d[i] = random.nextGaussian();
            }
        }
        DoubleMatrix nn = DoubleMatrix.zeros(5, 4);
        ReferenceGemm.gemm(GemmOp.NN, 1, a, b, 0, nn);
        DoubleMatrix nt = DoubleMatrix.zeros(5, 4);
        ReferenceGemm.gemm(GemmOp.NT, 1, a, transpose(b), 0, nt);
        DoubleMatrix tn = DoubleMatrix.zeros(5, 4);
        ReferenceGemm.gemm(GemmOp.TN, 1, transpose(a), b, 0, tn);
        assertArrayEquals(nn.data(), nt.data(), 0);
        assertArrayEquals(nn.data(), tn.data(), 0);
    }

    @Test
    void rejectsMismatchedShapesNamingThem() {
        IllegalArgumentException inner = assertThrows(IllegalArgumentException.class,
                () -> ReferenceGemm.gemm(GemmOp.NN, 1, DoubleMatrix.zeros(2, 3), DoubleMatrix.zeros(4, 2), 0,
                        DoubleMatrix.zeros(2, 2)));
        assertTrue(inner.getMessage().contains("op(A) is 2x3 but op(B) is 4x2"), inner.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> ReferenceGemm.gemm(GemmOp.TN, 1, DoubleMatrix.zeros(3, 2), DoubleMatrix.zeros(3, 4), 0,
                        DoubleMatrix.zeros(3, 4)));
        assertTrue(out.getMessage().contains("C must be 2x4, got 3x4"), out.getMessage());
    }
}
