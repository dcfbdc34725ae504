package io.lanewise.spark;

import io.lanewise.spec.LearningRateSchedule;
import io.lanewise.spec.Optimizer;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;

/** An {@link Optimizer} with its schedule that Java serialization can carry to executors, field by field. */
final class PortableOptimizer implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient Optimizer optimizer;

    PortableOptimizer(Optimizer optimizer) {
        this.optimizer = optimizer;
    }

    Optimizer optimizer() {
        return optimizer;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        Optimizer o = optimizer;
        out.writeUTF(o.kind().name());
        writeSchedule(out, o.schedule());
        out.writeDouble(o.momentum());
        out.writeBoolean(o.nesterov());
        out.writeDouble(o.beta1());
        out.writeDouble(o.beta2());
        out.writeDouble(o.epsilon());
        out.writeDouble(o.weightDecay());
        out.writeDouble(o.clipNorm());
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException {
        Optimizer.Kind kind = Optimizer.Kind.valueOf(in.readUTF());
        LearningRateSchedule schedule = readSchedule(in);
        optimizer = new Optimizer(kind, schedule, in.readDouble(), in.readBoolean(), in.readDouble(), in.readDouble(),
                in.readDouble(), in.readDouble(), in.readDouble());
    }

    private static void writeSchedule(ObjectOutputStream out, LearningRateSchedule schedule) throws IOException {
        switch (schedule) {
            case LearningRateSchedule.Constant c -> {
                out.writeByte(0);
                out.writeDouble(c.value());
            }
            case LearningRateSchedule.Step s -> {
                out.writeByte(1);
                out.writeDouble(s.initial());
                out.writeLong(s.every());
                out.writeDouble(s.gamma());
            }
            case LearningRateSchedule.Cosine c -> {
                out.writeByte(2);
                out.writeDouble(c.initial());
                out.writeLong(c.totalSteps());
                out.writeDouble(c.min());
            }
            case LearningRateSchedule.Warmup w -> {
                out.writeByte(3);
                out.writeLong(w.steps());
                writeSchedule(out, w.then());
            }
        }
    }

    private static LearningRateSchedule readSchedule(ObjectInputStream in) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case 0 -> LearningRateSchedule.constant(in.readDouble());
            case 1 -> LearningRateSchedule.step(in.readDouble(), in.readLong(), in.readDouble());
            case 2 -> LearningRateSchedule.cosine(in.readDouble(), in.readLong(), in.readDouble());
            case 3 -> LearningRateSchedule.warmup(in.readLong(), readSchedule(in));
            default -> throw new IOException("unknown learning-rate schedule tag " + tag);
        };
    }
}
