package io.lanewise.io;

import io.lanewise.memory.Matrix;
import io.lanewise.nn.EpochRunner;
import io.lanewise.nn.Network;
import io.lanewise.nn.Trainer;
import io.lanewise.spec.MlpSpec;
import io.lanewise.spec.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checkpoints: a model file (PyTorch names, see {@link ModelFiles}) plus the optimizer state (named as
 * PyTorch's optimizers name it: {@code 0.weight.momentum_buffer}, {@code 0.weight.exp_avg},
 * {@code 0.weight.exp_avg_sq}, in the parameter's layout), the step count, the epochs run and the
 * shuffling generator's state. Saved between epochs, restoring one continues bit-identically to a run
 * that was never interrupted (same data, batch size and thread count). A checkpoint holding a NaN or
 * infinite parameter or optimizer state is refused.
 */
public final class Checkpoints {
    private static final String STEPS_KEY = "lanewise.checkpoint.steps";
    private static final String EPOCHS_KEY = "lanewise.checkpoint.epochs";
    private static final String SHUFFLE_KEY = "lanewise.checkpoint.shuffle_state";
    private static final String OPTIMIZER_KEY = "lanewise.checkpoint.optimizer";

    private Checkpoints() {
    }

    /** Writes the trainer's network, optimizer state and counters, and the runner's position, safely. */
    public static void save(Path file, Trainer trainer, EpochRunner runner) throws IOException {
        Network network = trainer.network();
        List<NamedTensor> tensors = new ArrayList<>(ModelFiles.tensors(network));
        MlpSpec spec = network.spec();
        for (int p = 0; p < 2 * spec.depth(); p++) {
            for (int slot = 0; slot < trainer.optimizer().stateSlots(); slot++) {
                Matrix state = trainer.optimizerState(p, slot);
                String name = stateName(spec, trainer.optimizer(), p, slot);
                tensors.add(p % 2 == 0
                        ? new NamedTensor(name, ModelFiles.outByIn(state), state.toTransposedArray())
                        : new NamedTensor(name, new int[] {state.cols()}, state.toArray()));
            }
        }
        Map<String, String> meta = ModelFiles.metadata(spec);
        meta.put(STEPS_KEY, Long.toString(trainer.steps()));
        meta.put(EPOCHS_KEY, Integer.toString(runner.epochs()));
        meta.put(SHUFFLE_KEY, Long.toString(runner.shuffleState()));
        meta.put(OPTIMIZER_KEY, trainer.optimizer().kind().name());
        SafetensorsWriter.write(file, tensors, meta);
    }

    /**
     * Restores a checkpoint into a trainer (over a network of the same architecture, with the same kind of
     * optimizer) and its runner. Everything is checked before anything is written.
     *
     * @throws IOException naming the file if it is not a checkpoint of this architecture and optimizer
     */
    public static void restore(Path file, Trainer trainer, EpochRunner runner) throws IOException {
        SafetensorsFile content = SafetensorsReader.read(file);
        Network network = trainer.network();
        MlpSpec spec = network.spec();
        Map<String, String> expected = ModelFiles.metadata(spec);
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (!e.getValue().equals(content.metadata().get(e.getKey()))) {
                throw new IOException(file + ": checkpoint is for another architecture: " + e.getKey() + " = "
                        + content.metadata().get(e.getKey()) + ", expected " + e.getValue());
            }
        }
        Optimizer optimizer = trainer.optimizer();
        if (!optimizer.kind().name().equals(content.metadata().get(OPTIMIZER_KEY))) {
            throw new IOException(file + ": checkpoint holds " + content.metadata().get(OPTIMIZER_KEY)
                    + " state, the trainer uses " + optimizer.kind());
        }
        long steps = number(content, STEPS_KEY);
        long epochs = number(content, EPOCHS_KEY);
        long shuffle = number(content, SHUFFLE_KEY);
        if (epochs > Integer.MAX_VALUE) {
            throw new IOException(file + ": epoch count " + epochs + " is out of range");
        }
        List<Pending> pending = new ArrayList<>();
        for (int p = 0; p < 2 * spec.depth(); p++) {
            Matrix parameter = p % 2 == 0 ? network.weights(p / 2) : network.biases(p / 2);
            pending.add(Pending.find(content, ModelFiles.parameterName(spec, p), parameter, p % 2 == 0));
            for (int slot = 0; slot < optimizer.stateSlots(); slot++) {
                pending.add(Pending.find(content, stateName(spec, optimizer, p, slot), trainer.optimizerState(p, slot),
                        p % 2 == 0));
            }
        }
        content.requireNoOthers(pending.stream().map(t -> t.tensor.name()).toList());
        for (Pending t : pending) {
            t.apply();
        }
        trainer.resumeAt(steps);
        runner.resumeAt((int) epochs, shuffle);
    }

    /** A tensor found and checked in the file, and where it goes; applied only once all are found. */
    private record Pending(NamedTensor tensor, Matrix target, boolean weights) {
        static Pending find(SafetensorsFile content, String name, Matrix target, boolean weights) throws IOException {
            NamedTensor t = weights ? content.require(name, target.cols(), target.rows()) : content.require(name, target.cols());
            ModelFiles.requireFinite(content.file(), t);
            return new Pending(t, target, weights);
        }

        void apply() {
            if (weights) {
                target.copyTransposedFrom(tensor.data(), target.cols(), target.rows());
            } else {
                target.copyFrom(tensor.data());
            }
        }
    }

    private static String stateName(MlpSpec spec, Optimizer optimizer, int parameter, int slot) {
        String suffix = optimizer.kind() == Optimizer.Kind.SGD ? ".momentum_buffer" : slot == 0 ? ".exp_avg" : ".exp_avg_sq";
        return ModelFiles.parameterName(spec, parameter) + suffix;
    }

    private static long number(SafetensorsFile content, String key) throws IOException {
        String text = content.metadata().get(key);
        try {
            long value = Long.parseLong(text);
            if (value < 0 && !key.equals(SHUFFLE_KEY)) {
                throw new NumberFormatException("negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IOException(content.file() + ": checkpoint metadata '" + key + "' must be a whole number, got "
                    + text, e);
        }
    }
}
