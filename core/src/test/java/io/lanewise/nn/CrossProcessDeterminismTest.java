package io.lanewise.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.spec.Activation;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import io.lanewise.spec.SeededRandom;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two separate JVMs train the same 10-class network from the same seed and data and end with
 * bit-identical parameters: nothing may depend on when the JIT compiled what (the interpreted and compiled
 * forms of a kernel must agree to the bit).
 */
class CrossProcessDeterminismTest {

    /** The child: trains and prints a hash of every parameter's bits. */
    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        MlpSpec spec = MlpSpec.builder(40).dense(64, Activation.GELU).dense(32, Activation.RELU)
                .dense(10, Activation.IDENTITY).seed(3).build();
        SeededRandom random = new SeededRandom(5);
        float[] x = new float[64 * 40];
        int[] y = new int[64];
        try (Network network = Network.create(spec);
             Trainer trainer = Trainer.builder(network, Optimizer.adam(1e-3)).batchSize(64).threads(threads).build()) {
            for (int step = 0; step < 300; step++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                for (int r = 0; r < y.length; r++) {
                    y[r] = random.nextInt(10);
                }
                trainer.step(x, y);
            }
            long hash = 17;
            for (int l = 0; l < spec.depth(); l++) {
                for (float v : network.weights(l).toArray()) {
                    hash = 31 * hash + Float.floatToRawIntBits(v);
                }
                for (float v : network.biases(l).toArray()) {
                    hash = 31 * hash + Float.floatToRawIntBits(v);
                }
            }
            System.out.println("parameters " + Long.toHexString(hash));
        }
    }

    private static String runChild(int threads) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), CrossProcessDeterminismTest.class.getName(),
                Integer.toString(threads)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, process.exitValue(), output);
        return output.lines().filter(l -> l.startsWith("parameters ")).findFirst().orElseThrow(() -> new AssertionError(output));
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void twoProcessesGiveBitIdenticalParameters(int threads) throws Exception {
        assertEquals(runChild(threads), runChild(threads));
    }
}
