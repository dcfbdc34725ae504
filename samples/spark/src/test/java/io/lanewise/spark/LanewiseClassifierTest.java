package io.lanewise.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.data.ClassificationData;
import io.lanewise.nn.Network;
import io.lanewise.nn.Trainer;
import io.lanewise.nn.TrainingListener;
import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Data-parallel training: the single-machine trainer's steps, bit-identical runs, both modes, in a pipeline. */
class LanewiseClassifierTest {
    private static final MlpSpec DIGITS_SPEC = MlpSpec.builder(64).dense(64, Activation.RELU).dense(10, Activation.IDENTITY)
            .seed(5).build();

    private static List<Double> stepLosses(LanewiseClassifier classifier, Dataset<Row> frame, LanewiseModel[] model) {
        List<Double> losses = new ArrayList<>();
        model[0] = classifier.setListener(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int rows, double loss) {
                losses.add(loss);
            }
        }).fit(frame);
        return losses;
    }

    @Test
    void synchronousStepsFollowTheSingleMachineTrainerWithinFloatRounding() {
        // the first 20 global batches of 128 rows (Fashion-MNIST where installed, else the digits), in 2 partitions
        ClassificationData all = TestSpark.FASHION_MNIST ? TestSpark.fashionTrain() : TestSpark.digits();
        int rows = 20 * 128;
        ClassificationData data = new ClassificationData(Arrays.copyOf(all.features(), rows * all.width()), all.width(),
                Arrays.copyOf(all.labels(), rows), 10);
        MlpSpec spec = MlpSpec.builder(all.width()).dense(256, Activation.RELU).dense(128, Activation.RELU)
                .dense(10, Activation.IDENTITY).seed(42).build();
        Optimizer adam = Optimizer.adam(1e-3);
        LanewiseModel[] model = new LanewiseModel[1];
        List<Double> spark = stepLosses(new LanewiseClassifier(spec, adam).setEpochs(1).setSeed(9), TestSpark.frame(data, 2),
                model);
        assertEquals(20, spark.size());

        // the same global batches on one machine: partition 0's share, then partition 1's, one fused step each
        double[] single;
        float[] oneMachine;
        float[] sparkParameters;
        try (Network network = Network.create(spec); Trainer trainer = Trainer.builder(network, adam).batchSize(128).build()) {
            single = OneMachine.train(trainer, data, OneMachine.plan(data, 2, 128, 9), 1);
            oneMachine = ModelWeights.of(network).parameters();
        }
        sparkParameters = model[0].weights().parameters();
        double worst = 0;
        StringBuilder table = new StringBuilder("step  single-machine loss   Spark loss           relative difference\n");
        for (int step = 0; step < 20; step++) {
            double relative = Math.abs(spark.get(step) - single[step]) / single[step];
            worst = Math.max(worst, relative);
            table.append(String.format("%4d  %.15f  %.15f  %.2e%n", step + 1, single[step], spark.get(step), relative));
        }
        double parameterDifference = 0;
        for (int i = 0; i < oneMachine.length; i++) {
            parameterDifference = Math.max(parameterDifference, Math.abs(oneMachine[i] - sparkParameters[i]));
        }
        System.out.print(table);
        System.out.printf("largest relative loss difference over 20 steps: %.2e; largest parameter difference after 20 "
                + "steps: %.2e%n", worst, parameterDifference);
        assertEquals(single[0], spark.get(0), 1e-6 * single[0], "the first step's loss: the same parameters and rows");
        assertTrue(worst < 1e-4, "loss curves differ by up to " + worst + " relative:\n" + table);
    }

    @Test
    void theSameSeedDataAndPartitioningGiveTheSameBits() {
        Dataset<Row> frame = TestSpark.frame(TestSpark.digits(), 2);
        for (String mode : List.of(LanewiseClassifier.SYNCHRONOUS, LanewiseClassifier.AVERAGING)) {
            LanewiseClassifier classifier = new LanewiseClassifier(DIGITS_SPEC, Optimizer.adam(3e-3)).setEpochs(2)
                    .setBatchSize(64).setTrainingMode(mode);
            float[] first = classifier.fit(frame).weights().parameters();
            float[] second = classifier.fit(frame).weights().parameters();
            assertArrayEquals(first, second, mode + ": two runs");
            float[] otherSeed = classifier.setSeed(43).fit(frame).weights().parameters();
            assertFalse(Arrays.equals(first, otherSeed), mode + ": another seed shuffles otherwise");
        }
    }

    @Test
    void parameterAveragingLearnsTheDigits() {
        ClassificationData digits = TestSpark.digits();
        var split = io.lanewise.samples.data.TrainTestSplit.shuffled(digits, 0.2, 1);
        List<Double> epochLosses = new ArrayList<>();
        LanewiseModel model = new LanewiseClassifier(DIGITS_SPEC, Optimizer.adam(3e-3)).setTrainingMode("averaging")
                .setEpochs(15).setBatchSize(32).setListener(new TrainingListener() {
                    @Override
                    public void onEpoch(int epoch, double meanLoss) {
                        epochLosses.add(meanLoss);
                    }
                }).fit(TestSpark.frame(split.train(), 2));
        assertEquals(15, epochLosses.size());
        assertTrue(epochLosses.getLast() < epochLosses.getFirst() / 4, "epoch losses " + epochLosses);
        double accuracy = Accuracy.of(model, split.test());
        assertTrue(accuracy > 0.93, "held-out accuracy " + accuracy);
    }

    @Test
    void fitHandsItsColumnsToTheModel() {
        LanewiseClassifier classifier = new LanewiseClassifier(DIGITS_SPEC, Optimizer.adam(3e-3)).setEpochs(1)
                .setPredictionCol("digit").setRawPredictionCol("");
        LanewiseModel model = classifier.fit(TestSpark.frame(TestSpark.digits(), 2));
        assertEquals("digit", model.getPredictionCol());
        assertEquals("", model.getRawPredictionCol());
        assertSame(classifier, model.parent());
        assertEquals(List.of("features", "label", "digit", "probability"),
                Arrays.asList(model.transform(TestSpark.frame(TestSpark.digits(), 2)).columns()));
    }
}
