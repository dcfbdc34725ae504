package io.lanewise.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.data.ClassificationData;
import io.lanewise.data.TwoSpirals;
import io.lanewise.nn.EpochRunner;
import io.lanewise.nn.Network;
import io.lanewise.nn.Trainer;
import io.lanewise.nn.TrainingListener;
import io.lanewise.spec.Activation;
import io.lanewise.spec.LearningRateSchedule;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Resuming from a checkpoint gives bit-identical parameters to a run that was never interrupted. */
class CheckpointsTest {
    @TempDir
    Path dir;

    private static final MlpSpec SPEC = MlpSpec.builder(2).dense(24, Activation.TANH).dense(16, Activation.RELU)
            .dense(2, Activation.IDENTITY).seed(8).build();
    private static final ClassificationData DATA = TwoSpirals.generate(300, 0.05, 2);

    static Stream<Optimizer> optimizers() {
        return Stream.of(Optimizer.sgd(LearningRateSchedule.cosine(0.05, 40, 0.001), 0.9, true),
                Optimizer.adam(0.01).withClipNorm(1));
    }

    private static float[] parameters(Network network) {
        float[] all = new float[0];
        for (int l = 0; l < network.depth(); l++) {
            float[] w = network.weights(l).toArray();
            float[] b = network.biases(l).toArray();
            float[] next = java.util.Arrays.copyOf(all, all.length + w.length + b.length);
            System.arraycopy(w, 0, next, all.length, w.length);
            System.arraycopy(b, 0, next, all.length + w.length, b.length);
            all = next;
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void resumingIsBitIdenticalToAnUninterruptedRun(Optimizer optimizer) throws IOException {
        float[] uninterrupted;
        try (Network network = Network.create(SPEC);
             Trainer trainer = Trainer.builder(network, optimizer).batchSize(32).build()) {
            EpochRunner runner = new EpochRunner(trainer, DATA, 5);
            for (int e = 0; e < 4; e++) {
                runner.runEpoch(TrainingListener.NONE);
            }
            uninterrupted = parameters(network);
        }
        Path checkpoint = dir.resolve("checkpoint.safetensors");
        try (Network network = Network.create(SPEC);
             Trainer trainer = Trainer.builder(network, optimizer).batchSize(32).build()) {
            EpochRunner runner = new EpochRunner(trainer, DATA, 5);
            for (int e = 0; e < 2; e++) {
                runner.runEpoch(TrainingListener.NONE);
            }
            Checkpoints.save(checkpoint, trainer, runner);
        }
        MlpSpec otherSeed = MlpSpec.builder(2).dense(24, Activation.TANH).dense(16, Activation.RELU)
                .dense(2, Activation.IDENTITY).seed(99).build(); // restored weights replace these
        try (Network network = Network.create(otherSeed);
             Trainer trainer = Trainer.builder(network, optimizer).batchSize(32).build()) {
            EpochRunner runner = new EpochRunner(trainer, DATA, 12345);
            Checkpoints.restore(checkpoint, trainer, runner);
            assertEquals(2, runner.epochs());
            for (int e = 0; e < 2; e++) {
                runner.runEpoch(TrainingListener.NONE);
            }
            assertArrayEquals(uninterrupted, parameters(network));
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void rejectsACheckpointOfAnotherOptimizerWithoutChangingAnything(Optimizer optimizer) throws IOException {
        Path checkpoint = dir.resolve("c.safetensors");
        Optimizer other = optimizer.kind() == Optimizer.Kind.SGD ? Optimizer.adam(0.01) : Optimizer.sgd(0.1, 0.9, false);
        try (Network network = Network.create(SPEC);
             Trainer trainer = Trainer.builder(network, optimizer).batchSize(32).build()) {
            EpochRunner runner = new EpochRunner(trainer, DATA, 5);
            runner.runEpoch(TrainingListener.NONE);
            Checkpoints.save(checkpoint, trainer, runner);
        }
        try (Network network = Network.create(SPEC);
             Trainer trainer = Trainer.builder(network, other).batchSize(32).build()) {
            EpochRunner runner = new EpochRunner(trainer, DATA, 5);
            float[] before = parameters(network);
            IOException e = assertThrows(IOException.class, () -> Checkpoints.restore(checkpoint, trainer, runner));
            assertTrue(e.getMessage().contains("state, the trainer uses"), e.getMessage());
            assertArrayEquals(before, parameters(network));
            assertEquals(0, trainer.steps());
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void refusesACheckpointHoldingNonFiniteState(Optimizer optimizer) throws IOException {
        Path checkpoint = dir.resolve("nan.safetensors");
        try (Network network = Network.create(SPEC);
             Trainer trainer = Trainer.builder(network, optimizer).batchSize(32).build()) {
            EpochRunner runner = new EpochRunner(trainer, DATA, 5);
            runner.runEpoch(TrainingListener.NONE);
            trainer.optimizerState(1, 0).set(0, 3, Float.NaN);
            Checkpoints.save(checkpoint, trainer, runner);
        }
        try (Network network = Network.create(SPEC);
             Trainer trainer = Trainer.builder(network, optimizer).batchSize(32).build()) {
            EpochRunner runner = new EpochRunner(trainer, DATA, 5);
            float[] before = parameters(network);
            IOException e = assertThrows(IOException.class, () -> Checkpoints.restore(checkpoint, trainer, runner));
            assertTrue(e.getMessage().contains("tensor '0.bias."), e.getMessage());
            assertTrue(e.getMessage().contains("holds 1 non-finite value"), e.getMessage());
            assertArrayEquals(before, parameters(network));
        }
    }
}
