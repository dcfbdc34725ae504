package io.lanewise.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void theNextWriteRemovesTemporaryFilesOfWritersThatDied() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path stale = Files.writeString(folder.resolve(".model.bin." + finished.pid() + "-1a2b3c.tmp"), "half a model");
        Path otherTarget = Files.writeString(folder.resolve(".other.bin." + finished.pid() + "-1a2b3c.tmp"), "not ours");
        Path live = Files.writeString(folder.resolve(".model.bin." + ProcessHandle.current().pid() + "-77.tmp"), "in flight");
        Path target = folder.resolve("model.bin");
        AtomicWrite.write(target, channel -> channel.write(ByteBuffer.wrap("complete".getBytes())));
        assertFalse(Files.exists(stale), "a dead writer's temporary file is removed");
        assertTrue(Files.exists(otherTarget), "another target's temporary files are left alone");
        assertTrue(Files.exists(live), "a live writer's temporary file is left alone");
        assertEquals("complete", Files.readString(target));
    }

    @Test
    void anUnwritableTargetSaysWhyAndIsFoundBeforeAnyWork() throws IOException {
        Path noFolder = folder.resolve("no-such-folder").resolve("model.bin");
        IOException write = assertThrows(IOException.class,
                () -> AtomicWrite.write(noFolder, channel -> channel.write(ByteBuffer.wrap(new byte[1]))));
        assertTrue(write.getMessage().startsWith(noFolder + ": cannot be written: no such file or directory"),
                write.getMessage());
        IOException check = assertThrows(IOException.class, () -> AtomicWrite.checkWritable(noFolder));
        assertEquals(noFolder + ": cannot be written: its folder " + noFolder.getParent() + " does not exist",
                check.getMessage());
        Path aFolder = Files.createDirectory(folder.resolve("a-folder"));
        IOException isFolder = assertThrows(IOException.class, () -> AtomicWrite.checkWritable(aFolder));
        assertEquals(aFolder + ": cannot be written: it is a directory", isFolder.getMessage());
        IOException replace = assertThrows(IOException.class,
                () -> AtomicWrite.write(aFolder, channel -> channel.write(ByteBuffer.wrap(new byte[1]))));
        assertTrue(replace.getMessage().startsWith(aFolder + ": cannot replace it with the new content: "), replace.getMessage());
        AtomicWrite.checkWritable(folder.resolve("fine.bin"));
        assertEquals(List.of(aFolder), files());
    }
}
