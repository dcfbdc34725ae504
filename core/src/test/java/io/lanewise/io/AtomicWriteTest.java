package io.lanewise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriteTest {
    @TempDir
    Path folder;

    @Test
    void aBodyFailingHalfWayLeavesTheOldFileIntactAndNoTemporaryFile() throws IOException {
        Path target = Files.writeString(folder.resolve("model.safetensors"), "old model");
        IOException diskFull = new IOException("No space left on device");
        IOException thrown = assertThrows(IOException.class, () -> AtomicWrite.write(target, channel -> {
            channel.write(ByteBuffer.wrap("half of the new mo".getBytes()));
            throw diskFull;
        }));
        assertSame(diskFull, thrown);
        assertEquals("old model", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void anUncheckedFailureCleansUpToo() throws IOException {
        Path target = folder.resolve("new.bin");
        assertThrows(IllegalStateException.class, () -> AtomicWrite.write(target, channel -> {
            channel.write(ByteBuffer.wrap(new byte[100]));
            throw new IllegalStateException("closed");
        }));
        assertEquals(List.of(), files());
    }

    @Test
    void writesTheWholeBodyUnderTheTargetName() throws IOException {
        Path target = folder.resolve("new.bin");
        AtomicWrite.write(target, channel -> channel.write(ByteBuffer.wrap("complete".getBytes())));
        assertEquals("complete", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.toList();
        }
    }
}
