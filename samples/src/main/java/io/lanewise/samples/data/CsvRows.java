package io.lanewise.samples.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.Iterator;

/**
 * The records of comma-separated text (RFC 4180 quoting, through FastCSV), each as its cells stripped of
 * surrounding blanks, with the line it starts on. Blank lines are skipped, a leading byte-order mark is dropped,
 * and every problem of the text itself (bad quoting, invalid UTF-8) is an {@link IOException} naming the source.
 */
public final class CsvRows implements AutoCloseable {
    private final CsvReader<CsvRecord> reader;
    private final Iterator<CsvRecord> records;
    private final String source;
    private boolean first = true;
    private long line;

    /** Reads {@code text}, naming it {@code source} in messages; closing this closes {@code text}. */
    public CsvRows(Reader text, String source) {
        this.reader = CsvReader.builder().fieldSeparator(',').quoteCharacter('"').skipEmptyLines(true)
                .allowExtraFields(true).allowMissingFields(true).ofCsvRecord(text);
        this.records = reader.iterator();
        this.source = source;
    }

    /** The next non-blank record's cells, stripped, or null at the end. */
    public String[] next() throws IOException {
        while (true) {
            CsvRecord record;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                record = records.next();
            } catch (UncheckedIOException e) {
                throw failure(e.getCause());
            } catch (CsvParseException e) {
                throw failure(e);
            }
            line = record.getStartingLineNumber();
            String[] cells = record.getFields().toArray(String[]::new);
            if (first) {
                first = false;
                if (cells.length > 0 && cells[0].startsWith("\uFEFF")) {
                    cells[0] = cells[0].substring(1); // a byte-order mark some spreadsheets write
                }
            }
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].strip();
            }
            if (cells.length == 1 && cells[0].isEmpty()) {
                continue; // a line of blanks
            }
            return cells;
        }
    }

    /** The line the last record returned starts on, from 1. */
    public long line() {
        return line;
    }

    private IOException failure(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && !(root instanceof CharacterCodingException)) {
            root = root.getCause();
        }
        String where = source + ":" + (line + 1) + ": ";
        return root instanceof CharacterCodingException
                ? new IOException(where + "not UTF-8 text", cause)
                : new IOException(where + "not valid CSV: " + cause.getMessage(), cause);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
