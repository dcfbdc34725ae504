package io.lanewise.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.lanewise.io.ModelFiles;
import io.lanewise.nn.Network;
import io.lanewise.nn.Predictor;
import io.lanewise.nn.SharedModel;
import io.lanewise.spec.Activation;
import io.lanewise.spec.Loss;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ONNX Runtime (CPU build, from Maven Central) predicting the 784-256-128-10 ReLU model of {@link PredictBenchmark},
 * measured the same way: batch 1 as a latency distribution (SampleTime), batch 128 as throughput, one thread.
 * Run both in one JMH run ({@code ./lanewise bench 'PredictBenchmark|OnnxRuntimeBenchmark'}) and compare
 * {@code batch1} with {@code batch1}.
 *
 * <p>The model comes from {@code bench/compare/export_onnx.py} (PyTorch's {@code torch.onnx.export}: Gemm, Relu,
 * Gemm, Relu, Gemm, a dynamic batch axis), with its weights beside it as safetensors. {@link #model} names the
 * {@code .onnx} file; a relative path is looked up from the working directory, then from the source tree the
 * benchmarks jar was built in. Setup fails, saying to run the exporter, when the file is missing.
 *
 * <p>Session, set up for a single-threaded latency comparison: intra-op threads 1 and inter-op threads 1 (the
 * calling thread computes; no pool, no spinning threads), sequential execution, {@link OptLevel#ALL_OPT} (which
 * fuses Gemm and Relu), and one session per batch size with the batch dimension fixed
 * ({@code setSymbolicDimensionValue}) so ONNX Runtime plans static shapes.
 *
 * <p>Reused across calls: the input {@link OnnxTensor}s, each over a direct {@link FloatBuffer} filled once in setup
 * (ONNX Runtime reads it in place, no copy), their input maps, and the output tensors, passed as pinned outputs
 * so ONNX Runtime writes the logits into a direct buffer of ours. Not reused, because the Java API has no way
 * to: each {@code run} builds its name and handle arrays and a {@code Result} (closed at once; it does not own the
 * pinned output); {@code -prof gc} shows those bytes per call, and they are ONNX Runtime's cost. Lanewise's
 * {@code batch1} in {@link PredictBenchmark} copies its input from and its output into {@code float[]}s on every
 * call; here nothing is copied.
 *
 * <p>Correctness is checked in setup, not in a unit test (the build has neither PyTorch nor the model): Lanewise
 * loads the same weights from the safetensors file, predicts the benchmark's input rows (1 and 128), and setup
 * throws unless ONNX Runtime's logits equal Lanewise's within {@value #TOLERANCE} (absolute).
 *
 * <p>Instruction-set level: ONNX Runtime's MLAS picks its kernels at run time from CPUID (AVX-512 where the CPU
 * has it, else AVX2/FMA, AVX, SSE) and has no environment variable or session option to pin a level, only build
 * options; so {@code lanewise bench --isa} changes Lanewise's side of the comparison, not ONNX Runtime's.
 */
@Warmup(iterations = 8, time = 2) // 16 s: a 2-core Ice Lake needed ~10 s before C2 had compiled the step
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class OnnxRuntimeBenchmark extends BenchmarkFork {
    /** Largest absolute difference allowed between ONNX Runtime's and Lanewise's logits. */
    static final double TOLERANCE = 1e-4;

    private static final int BATCH = 128;
    static final String DEFAULT_MODEL = "bench/target/onnx/mlp-784-256-128-10.onnx";

    /** The {@code .onnx} file from {@code bench/compare/export_onnx.py}; its {@code .safetensors} sits beside it. */
    @Param({DEFAULT_MODEL})
    public String model;

    private OrtEnvironment environment;
    private OrtSession.SessionOptions options1;
    private OrtSession.SessionOptions options128;
    private OrtSession session1;
    private OrtSession session128;
    private Map<String, OnnxTensor> input1;
    private Map<String, OnnxTensor> input128;
    private Map<String, OnnxTensor> output1;
    private Map<String, OnnxTensor> output128;
    private FloatBuffer out1;
    private FloatBuffer out128;

    @Setup
    public void setUp() throws OrtException, IOException {
        Path onnx = locate(model);
        environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "lanewise-bench");
        IsaReport.printLanewise(); // Lanewise's level (for the agreement check); ONNX Runtime's is below
        System.out.println("ONNX Runtime " + environment.getVersion() + ": MLAS chooses its kernels from CPUID "
                + "(no runtime switch; --isa does not apply to it)");
        options1 = options(1);
        options128 = options(BATCH);
        session1 = environment.createSession(onnx.toString(), options1);
        session128 = environment.createSession(onnx.toString(), options128);
        String in = session1.getInputNames().iterator().next();
        String out = session1.getOutputNames().iterator().next();

        float[] one = MnistShapedModel.inputs(1, 1);
        float[] batch = MnistShapedModel.inputs(BATCH, 2);
        out1 = directFloats(MnistShapedModel.CLASSES);
        out128 = directFloats(BATCH * MnistShapedModel.CLASSES);
        input1 = Map.of(in, tensor(one, 1, MnistShapedModel.INPUTS));
        input128 = Map.of(in, tensor(batch, BATCH, MnistShapedModel.INPUTS));
        output1 = Map.of(out, OnnxTensor.createTensor(environment, out1, new long[] {1, MnistShapedModel.CLASSES}));
        output128 = Map.of(out, OnnxTensor.createTensor(environment, out128,
                new long[] {BATCH, MnistShapedModel.CLASSES}));

        batch1();
        batch128();
        agreeWithLanewise(onnx, one, batch);
    }

    @TearDown
    public void tearDown() throws OrtException {
        for (Map<String, OnnxTensor> m : List.of(input1, input128, output1, output128)) {
            m.values().forEach(OnnxTensor::close);
        }
        session1.close();
        session128.close();
        options1.close();
        options128.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public FloatBuffer batch1() throws OrtException {
        session1.run(input1, output1).close();
        return out1;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public FloatBuffer batch128() throws OrtException {
        session128.run(input128, output128).close();
        return out128;
    }

    static OrtSession.SessionOptions options(int batch) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setInterOpNumThreads(1);
        o.setExecutionMode(ExecutionMode.SEQUENTIAL);
        o.setOptimizationLevel(OptLevel.ALL_OPT);
        o.setSymbolicDimensionValue("batch", batch);
        return o;
    }

    private OnnxTensor tensor(float[] values, int rows, int cols) throws OrtException {
        FloatBuffer buffer = directFloats(values.length);
        buffer.put(values).rewind();
        return OnnxTensor.createTensor(environment, buffer, new long[] {rows, cols});
    }

    static FloatBuffer directFloats(int count) {
        return ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Throws unless ONNX Runtime's logits for both inputs equal Lanewise's on the same weights. */
    private void agreeWithLanewise(Path onnx, float[] one, float[] batch) throws IOException {
        String name = onnx.getFileName().toString();
        Path weights = onnx.resolveSibling(name.substring(0, name.length() - ".onnx".length()) + ".safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new IllegalStateException(weights + " is missing: export_onnx.py writes it beside the .onnx file, "
                    + "and the agreement check needs it; run bench/compare/export_onnx.py again");
        }
        try (Network network = ModelFiles.load(weights, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
             SharedModel shared = SharedModel.of(network);
             Predictor predictor = shared.newPredictor(BATCH)) {
            float[] expected1 = new float[MnistShapedModel.CLASSES];
            float[] expected128 = new float[BATCH * MnistShapedModel.CLASSES];
            predictor.predict(one, expected1);
            predictor.predict(batch, expected128);
            compare("batch 1", expected1, out1);
            compare("batch 128", expected128, out128);
        }
    }

    private static void compare(String what, float[] expected, FloatBuffer actual) {
        double worst = maxDifference(expected, actual);
        if (!(worst <= TOLERANCE)) {
            throw new IllegalStateException("ONNX Runtime and Lanewise disagree at " + what + ": max |difference| "
                    + worst + " > " + TOLERANCE);
        }
        System.out.println("ONNX Runtime agrees with Lanewise at " + what + ": max |difference| " + worst);
    }

    private static double maxDifference(float[] expected, FloatBuffer actual) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual.get(i)));
        }
        return worst;
    }

    /** {@code path} as given if it exists, else relative to the source tree of the benchmarks jar. */
    static Path locate(String path) {
        Path given = Path.of(path);
        if (Files.isRegularFile(given)) {
            return given;
        }
        Path inTree = given.isAbsolute() ? null : sourceTree();
        if (inTree != null) {
            inTree = inTree.resolve(path);
            if (Files.isRegularFile(inTree)) {
                return inTree;
            }
        }
        throw new IllegalStateException("ONNX model " + given.toAbsolutePath()
                + (inTree == null ? "" : " (nor " + inTree + ")") + " not found: run bench/compare/export_onnx.py "
                + "first (needs python3-torch), or pass -p model=PATH");
    }

    /** The source tree this class was built in (bench/target/benchmarks.jar or bench/target/classes), or null. */
    private static Path sourceTree() {
        CodeSource source = OnnxRuntimeBenchmark.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return null;
        }
        try {
            Path target = Path.of(source.getLocation().toURI()).toAbsolutePath().getParent();
            Path bench = target == null ? null : target.getParent();
            return bench == null ? null : bench.getParent();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
