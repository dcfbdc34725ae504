package io.lanewise.bench;

import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import java.util.Arrays;

/** Batch-1 predictions timed one by one outside JMH: percentiles of a plain loop, as l2calls.c does in C. */
public class Tail {
    public static void main(String[] args) {
        int seconds = Integer.parseInt(args[0]);
        Network network = Network.create(MnistShapedModel.spec());
        SharedModel model = SharedModel.of(network);
        Predictor predictor = model.newPredictor(128);
        float[] one = MnistShapedModel.inputs(1, 1), out = new float[MnistShapedModel.CLASSES];
        long[] t = new long[20_000_000];
        for (int round = 0; round < 2; round++) { // round 0 warms up
            int n = 0;
            long start = System.nanoTime(), end = start + seconds * 1_000_000_000L, b = start;
            while (b < end && n < t.length) {
                long a = System.nanoTime();
                predictor.predict(one, out);
                b = System.nanoTime();
                t[n++] = b - a;
            }
            long[] s = Arrays.copyOf(t, n);
            Arrays.sort(s);
            System.out.printf("round %d: %d calls, p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f us%n", round, n,
                    s[n / 2] / 1e3, s[(int) (n * 0.9)] / 1e3, s[(int) (n * 0.99)] / 1e3, s[(int) (n * 0.999)] / 1e3);
        }
        predictor.close();
        model.close();
        network.close();
    }
}
