/**
 * Lanewise core: multi-layer perceptrons trained and served on off-heap memory with Vector API kernels.
 *
 * <p>Exported: the model description ({@code spec}), memory ({@code memory}), training and serving
 * ({@code nn}), model files ({@code io}), data ({@code data}), the double-precision reference
 * ({@code reference}, for users' own reference-against-fast tests), the kernel families with their
 * provider and scalar twins ({@code kernels}) and the GEMM context ({@code kernels.gemm}). Not exported:
 * the Vector API twins and their support ({@code kernels.vector}) and the argument checks
 * ({@code kernels.internal}).
 *
 * <p>On the class path this descriptor is ignored, and the Vector API is used only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}; on the module path this module requires it, so it is always
 * there. Agrona's buffers need {@code --add-exports java.base/jdk.internal.misc=org.agrona} on the module
 * path ({@code =ALL-UNNAMED} on the class path).
 */
module io.lanewise.core {
    requires transitive org.agrona;
    requires jdk.incubator.vector;
    // KernelSelection reads the JVM's arguments; VectorSupport its UseAVX and UseFMA flags.
    requires java.management;
    requires jdk.management;

    exports io.lanewise.spec;
    exports io.lanewise.memory;
    exports io.lanewise.nn;
    exports io.lanewise.io;
    exports io.lanewise.data;
    exports io.lanewise.reference;
    exports io.lanewise.kernels;
    exports io.lanewise.kernels.gemm;
}
