package io.lanewise.samples.data;

import static io.lanewise.samples.data.Gzip.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lanewise.data.ClassificationData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvDataTest {
    @TempDir
    Path folder;

    private Path csv(String text) throws IOException {
        return Files.writeString(folder.resolve("data.csv"), text);
    }

    @Test
    void readsAHeaderAndALabelColumnByName() throws IOException {
        Path file = csv("\uFEFFx1, \"species\" ,x2\r\n0.5,2,-1e-2\r\n\r\n+3,0,4.25\r\n  \n1,1,0\n");
        ClassificationData data = CsvData.read(file, CsvFormat.labelColumn("species"));
        assertEquals(2, data.width());
        assertEquals(3, data.classes());
        assertArrayEquals(new float[] {0.5f, -0.01f, 3, 4.25f, 1, 0}, data.features());
        assertArrayEquals(new int[] {2, 0, 1}, data.labels());
    }

    @Test
    void readsALabelColumnByIndexFromEitherEnd() throws IOException {
        Path file = csv("1,2,0\n3,4,1\n");
        ClassificationData last = CsvData.read(file, CsvFormat.labelColumn(-1));
        assertArrayEquals(new float[] {1, 2, 3, 4}, last.features());
        assertArrayEquals(new int[] {0, 1}, last.labels());
        ClassificationData first = CsvData.read(file, CsvFormat.labelColumn(0).withClasses(5));
        assertArrayEquals(new float[] {2, 0, 4, 1}, first.features());
        assertArrayEquals(new int[] {1, 3}, first.labels());
        assertEquals(5, first.classes());
        ClassificationData skipped = CsvData.read(csv("a,b,label\n1,2,0\n3,4,1\n"), CsvFormat.labelColumn(2).withHeader());
        assertEquals(2, skipped.rows());
    }

    @Test
    void readsGzipAndIntegralLabelsWrittenAsFloats() throws IOException {
        Path file = Files.write(folder.resolve("data.csv.gz"), gzip("1.0,7\n0.0,8\n".getBytes(StandardCharsets.UTF_8)));
        ClassificationData data = CsvData.read(file, CsvFormat.labelColumn(0));
        assertArrayEquals(new int[] {1, 0}, data.labels());
        assertArrayEquals(new float[] {7, 8}, data.features());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "a,b,label\\n1,2,0\\n1,x,1\\n       | 0 | :3: column 2 ('b') 'x' is not a number",
        "a,b,label\\n1,2,0\\n1,,1\\n        | 0 | :3: column 2 ('b') is empty",
        "a,b,label\\n1,NaN,0\\n             | 0 | :2: column 2 ('b') 'NaN' is not a number",
        "a,b,label\\n1,Infinity,0\\n        | 0 | :2: column 2 ('b') 'Infinity' is not a number",
        "a,b,label\\n1,0x10,0\\n            | 0 | :2: column 2 ('b') '0x10' is not a number",
        "a,b,label\\n1,2f,0\\n              | 0 | :2: column 2 ('b') '2f' is not a number",
        "a,b,label\\n1,1e39,0\\n            | 0 | :2: column 2 ('b') '1e39' is out of the float range",
        "a,b,label\\n1,2,0\\n1,2\\n         | 0 | :3: expected 3 columns like the first line, found 2",
        "a,b,label\\n1,2,0\\n1,2,1,4\\n     | 0 | :3: expected 3 columns like the first line, found 4",
        "a,b,label\\n1,2,0\\n1,2,-1\\n      | 0 | :3: label in column 3 ('label') '-1' is negative",
        "a,b,label\\n1,2,0\\n1,2,1.5\\n     | 0 | :3: label in column 3 ('label') '1.5' is not an integer",
        "a,b,label\\n1,2,0\\n1,2,one\\n     | 0 | :3: label in column 3 ('label') 'one' is not a number",
        "a,b,label\\n1,2,0\\n1,2,3\\n       | 3 | :3: label in column 3 ('label') '3' is out of range: expected 0..2",
        "a,b,label\\n1,2,0\\n1,2,1e10\\n    | 3 | :3: label in column 3 ('label') '1e10' is out of range: expected 0..2",
        "a,b,label\\n1,2,0\\n1,2,0\\n       | 0 | : every label is 0; a classification needs at least 2 classes",
        "a,b,label\\n1,2,5\\n1,2,5\\n       | 0 | : every label is 5; a classification needs at least 2 classes",
        "a,b,label\\n1,2,0\\n1,2,2000000000\\n | 0 | :3: label in column 3 ('label') '2000000000' is out of range: expected 0..9999 (labels are classes 0..K-1, at most 10000 classes)",
        "a,b,label\\n1,2,0\\n1,2,10000\\n   | 0 | :3: label in column 3 ('label') '10000' is out of range: expected 0..9999 (labels are classes 0..K-1, at most 10000 classes)",
        "a,b,label\\n1,\"2\"x,0\\n         | 0 | :2: not valid CSV",
        "a,b,label\\n                       | 0 | : no data rows",
        "``                                 | 0 | : no data rows",
        "label\\n1\\n                       | 0 | :1: found 1 column; need at least one feature and the label",
    })
    void badDataIsAnErrorNamingTheFileAndLine(String text, int classes, String expected) throws IOException {
        Path file = csv(text.replace("\\n", "\n"));
        CsvFormat format = CsvFormat.labelColumn("label").withClasses(classes);
        IOException e = assertThrows(IOException.class, () -> CsvData.read(file, format));
        if (expected.endsWith("not valid CSV")) {
            assertTrue(e.getMessage().startsWith(file + expected), e.getMessage());
        } else {
            assertEquals(file + expected, e.getMessage());
        }
    }

    @Test
    void quotedCellsAreOneCellEachAndTheLargestLabelSetsTheClasses() throws IOException {
        Path file = csv("\"a, b\",c,label\n\"1.5\", 2 ,\"9999\"\n3,4,1\n");
        ClassificationData data = CsvData.read(file, CsvFormat.labelColumn("label"));
        assertArrayEquals(new float[] {1.5f, 2, 3, 4}, data.features());
        assertArrayEquals(new int[] {9999, 1}, data.labels());
        assertEquals(CsvData.MAX_CLASSES, data.classes());
    }

    @Test
    void aFolderOrAMissingFileSaysWhatIsWrong() {
        IOException folderError = assertThrows(IOException.class, () -> CsvData.read(folder, CsvFormat.labelColumn(0)));
        assertEquals(folder + ": is a directory, not a data file", folderError.getMessage());
        Path missing = folder.resolve("missing.csv");
        IOException none = assertThrows(IOException.class, () -> CsvData.read(missing, CsvFormat.labelColumn(0)));
        assertEquals(missing + ": cannot be read as a data file: no such file or directory", none.getMessage());
    }

    @Test
    void aMissingLabelColumnOrBadFormatIsAnArgumentError() throws IOException {
        Path file = csv("a,b\n1,0\n");
        IllegalArgumentException byName = assertThrows(IllegalArgumentException.class,
                () -> CsvData.read(file, CsvFormat.labelColumn("label")));
        assertEquals(file + ": no column named 'label' in the header [a, b]", byName.getMessage());
        IllegalArgumentException byIndex = assertThrows(IllegalArgumentException.class,
                () -> CsvData.read(file, CsvFormat.labelColumn(2)));
        assertEquals(file + ": label column 2 is outside the 2 columns", byIndex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsvData.read(file, CsvFormat.labelColumn(-3)));
        assertThrows(IllegalArgumentException.class, () -> new CsvFormat(false, "label", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> CsvFormat.labelColumn(0).withClasses(1));
    }

    @Test
    void invalidUtf8AndMissingFilesNameTheFile() throws IOException {
        Path file = Files.write(folder.resolve("bad.csv"), new byte[] {'1', ',', '0', '\n', '2', ',', (byte) 0xFF, '\n'});
        IOException bad = assertThrows(IOException.class, () -> CsvData.read(file, CsvFormat.labelColumn(0)));
        assertTrue(bad.getMessage().startsWith(file + ":"), bad.getMessage());
        assertTrue(bad.getMessage().contains("not UTF-8"), bad.getMessage());
        Path missing = folder.resolve("missing.csv");
        IOException none = assertThrows(IOException.class, () -> CsvData.read(missing, CsvFormat.labelColumn(0)));
        assertTrue(none.getMessage().startsWith(missing.toString()), none.getMessage());
    }
}
