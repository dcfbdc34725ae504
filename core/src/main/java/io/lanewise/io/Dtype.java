package io.lanewise.io;

import java.nio.ByteBuffer;

/** The safetensors element types this library reads; it writes {@link #F32} only. */
public enum Dtype {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary16, widened exactly to float. */
    F16(2),
    /** bfloat16 (the top 16 bits of a binary32), widened exactly to float. */
    BF16(2);

    private final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type named {@code name} in a safetensors header (e.g. {@code "F32"}), or null if not one of ours. */
    public static Dtype byName(String name) {
        for (Dtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return dtype;
            }
        }
        return null;
    }

    /**
     * Widens {@code count} elements from {@code source} (little-endian, at its position, which advances) into
     * {@code target[offset ..]}.
     */
    void decode(ByteBuffer source, float[] target, int offset, int count) {
        switch (this) {
            case F32 -> source.asFloatBuffer().get(target, offset, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    target[offset + i] = Float.float16ToFloat(source.getShort(source.position() + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    target[offset + i] = Float.intBitsToFloat((source.getShort(source.position() + 2 * i) & 0xFFFF) << 16);
                }
            }
        }
        source.position(source.position() + count * bytes);
    }
}
