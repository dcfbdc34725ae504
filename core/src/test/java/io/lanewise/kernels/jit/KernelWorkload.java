package io.lanewise.kernels.jit;

import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import io.lanewise.nn.Trainer;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;

/**
 * A child JVM's program for {@link IntrinsicPathTest}: drives every kernel path a trainer and a predictor
 * take (every activation forward and backward, every loss, SGD plain, with momentum and Nesterov, Adam,
 * AdamW, gradient clipping; the GEMM's tiles, both narrow tiles, row and dot-product paths, packed and unpacked;
 * batches of 1, 4, 7, 32 and 128 rows; widths that leave vector tails) on one thread, until C2 has compiled
 * them. One application thread, so that with {@code -Xbatch} compilations run one at a time and their
 * {@code -XX:+PrintInlining} trees do not interleave.
 */
public final class KernelWorkload {
    private KernelWorkload() {
    }

    /** {@code args[0]}: rounds (each round trains every model a few steps and predicts with it). */
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        Model[] models = {
            new Model(MlpSpec.builder(40).dense(33, Activation.GELU).dense(17, Activation.TANH)
                    .dense(10, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).seed(1).build(),
                    Optimizer.adam(1e-3).withClipNorm(1.0), 32, 7),
            new Model(MlpSpec.builder(20).dense(31, Activation.SIGMOID).dense(15, Activation.leakyRelu(0.01f))
                    .dense(3, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).seed(2).build(),
                    Optimizer.sgd(0.01, 0.9, true).withWeightDecay(1e-4), 7, 1),
            new Model(MlpSpec.builder(64).dense(129, Activation.RELU).dense(65, Activation.SILU)
                    .dense(10, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).seed(3).build(),
                    Optimizer.sgd(0.01, 0.9, false), 128, 4),
            new Model(MlpSpec.builder(17).dense(47, Activation.TANH).dense(5, Activation.IDENTITY)
                    .loss(Loss.SIGMOID_BINARY_CROSS_ENTROPY).seed(4).build(),
                    Optimizer.adamW(1e-3, 1e-2), 4, 1),
            new Model(MlpSpec.builder(33).dense(16, Activation.RELU).dense(2, Activation.IDENTITY)
                    .loss(Loss.SOFTMAX_CROSS_ENTROPY).seed(5).build(),
                    Optimizer.sgd(0.05), 3, 1),
        };
        double sink = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                for (Model m : models) {
                    sink += m.round();
                }
            }
        } finally {
            for (Model m : models) {
                m.close();
            }
        }
        System.out.println("done " + (Double.isFinite(sink) ? "finite" : "not finite"));
    }

    /** One network with its trainer and predictors, and the data it sees. */
    private static final class Model implements AutoCloseable {
        private final Network network;
        private final Trainer trainer;
        private final SharedModel shared;
        private final Predictor single;
        private final Predictor batch;
        private final float[] x;
        private final int[] labels;
        private final float[] targets;
        private final float[] scores;
        private final int secondBatch;

        Model(MlpSpec spec, Optimizer optimizer, int batchSize, int secondBatch) {
            this.network = Network.create(spec);
            this.trainer = Trainer.builder(network, optimizer).batchSize(batchSize).threads(1).build();
            this.shared = SharedModel.of(network);
            this.single = shared.newPredictor(1);
            this.batch = shared.newPredictor(batchSize);
            this.secondBatch = secondBatch;
            SeededRandom random = new SeededRandom(spec.seed());
            int in = spec.inputWidth();
            int out = spec.outputWidth();
            x = new float[batchSize * in];
            labels = new int[batchSize];
            targets = new float[batchSize * out];
            scores = new float[batchSize * out];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            for (int r = 0; r < batchSize; r++) {
                labels[r] = random.nextInt(out);
            }
            for (int i = 0; i < targets.length; i++) {
                targets[i] = random.nextInt(2);
            }
        }

        double round() {
            double loss = 0;
            int in = network.spec().inputWidth();
            int out = network.spec().outputWidth();
            boolean classes = network.spec().loss() == Loss.SOFTMAX_CROSS_ENTROPY;
            for (int rows : new int[] {labels.length, secondBatch}) {
                float[] xs = java.util.Arrays.copyOf(x, rows * in);
                loss += classes ? trainer.step(xs, java.util.Arrays.copyOf(labels, rows))
                        : trainer.step(xs, java.util.Arrays.copyOf(targets, rows * out));
            }
            shared.publish(network);
            float[] row = java.util.Arrays.copyOf(x, in);
            float[] rowScores = new float[out];
            for (int i = 0; i < 4; i++) {
                single.predict(row, rowScores);
            }
            batch.predict(x, scores);
            return loss + rowScores[0] + scores[0];
        }

        @Override
        public void close() {
            single.close();
            batch.close();
            shared.close();
            trainer.close();
            network.close();
        }
    }
}
