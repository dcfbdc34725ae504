package io.lanewise.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SpiralsDemoTest {

    @Test
    void trainsToHighAccuracyAndReportsTheLossFalling() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        double accuracy = SpiralsDemo.run(150, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy + "\n" + text);
        String[] lines = text.lines().filter(l -> l.startsWith("epoch")).toArray(String[]::new);
        double first = Double.parseDouble(lines[0].replaceAll(".*loss ", ""));
        double last = Double.parseDouble(lines[lines.length - 1].replaceAll(".*loss ", ""));
        assertTrue(last < first / 5, "loss fell only from " + first + " to " + last);
        assertTrue(text.contains("test accuracy: "), text);
    }
}
