package io.lanewise.samples;

import io.lanewise.data.ClassificationData;
import io.lanewise.data.TwoSpirals;
import io.lanewise.reference.DoubleMatrix;
import io.lanewise.reference.ReferenceMlp;
import io.lanewise.reference.ReferenceTrainer;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Loss;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.io.PrintStream;

/**
 * Trains the reference network on the built-in two-spirals problem and prints the loss falling, then
 * the accuracy on a held-out set. The first runnable job, before the fast engine exists.
 */
public final class SpiralsDemo {
    private static final int TRAIN_ROWS = 512;
    private static final int TEST_ROWS = 256;
    private static final int BATCH = 32;

    private SpiralsDemo() {
    }

    /**
     * Trains for {@code epochs} epochs with seeded, shuffled mini-batches, printing one line per reported epoch.
     *
     * @return the accuracy on the held-out rows
     */
    public static double run(int epochs, PrintStream out) {
        ClassificationData train = TwoSpirals.generate(TRAIN_ROWS, 0.02, 1);
        ClassificationData test = TwoSpirals.generate(TEST_ROWS, 0.02, 2);
        MlpSpec spec = MlpSpec.builder(2).dense(32, Activation.TANH).dense(32, Activation.TANH)
                .dense(2, Activation.IDENTITY).loss(Loss.SOFTMAX_CROSS_ENTROPY).seed(7).build();
        ReferenceTrainer trainer = new ReferenceTrainer(new ReferenceMlp(spec), Optimizer.adam(0.01));
        out.printf("two spirals: %d training rows, %d test rows; network 2-32-32-2 tanh, Adam 0.01, batch %d "
                + "(reference implementation, double precision)%n", TRAIN_ROWS, TEST_ROWS, BATCH);
        SeededRandom random = new SeededRandom(3);
        int[] order = new int[TRAIN_ROWS];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        DoubleMatrix x = DoubleMatrix.zeros(BATCH, 2);
        int[] labels = new int[BATCH];
        for (int epoch = 1; epoch <= epochs; epoch++) {
            random.shuffle(order, order.length);
            double sum = 0;
            for (int b = 0; b < TRAIN_ROWS / BATCH; b++) {
                for (int r = 0; r < BATCH; r++) {
                    int row = order[b * BATCH + r];
                    x.set(r, 0, train.features()[2 * row]);
                    x.set(r, 1, train.features()[2 * row + 1]);
                    labels[r] = train.labels()[row];
                }
                sum += trainer.step(x, labels);
            }
            if (epoch == 1 || epoch % Math.max(1, epochs / 10) == 0 || epoch == epochs) {
                out.printf("epoch %4d  loss %.4f%n", epoch, sum / (TRAIN_ROWS / BATCH));
            }
        }
        double accuracy = accuracy(trainer.network(), test);
        out.printf("test accuracy: %.4f%n", accuracy);
        return accuracy;
    }

    private static double accuracy(ReferenceMlp network, ClassificationData data) {
        DoubleMatrix logits = network.predict(DoubleMatrix.of(data.rows(), data.width(), data.features()));
        int correct = 0;
        for (int r = 0; r < data.rows(); r++) {
            int predicted = logits.get(r, 1) > logits.get(r, 0) ? 1 : 0;
            correct += predicted == data.labels()[r] ? 1 : 0;
        }
        return (double) correct / data.rows();
    }
}
