package io.lanewise.io;

import java.io.IOException;

/**
 * A strict pull parser for the small JSON subset of a safetensors header: objects, arrays, strings and integers.
 * The caller walks the structure it expects, so nothing is built that the schema does not need and nesting is
 * bounded by the caller. Every syntax error is an {@link IOException} naming the source and the character offset.
 * Not thread safe.
 */
final class JsonReader {
    /** What the next value is. */
    enum Kind { OBJECT, ARRAY, STRING, NUMBER, OTHER }

    private final String text;
    private final String source;
    private int pos;
    /** Whether the container being read still expects its first element (no comma before it). */
    private boolean first;
    /** The closing bracket of each open container, innermost last. */
    private final StringBuilder closers = new StringBuilder();

    /** A reader over {@code text}; {@code source} prefixes every error message (e.g. the file name). */
    JsonReader(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /** The kind of the next value, without consuming it. */
    Kind peek() throws IOException {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("unexpected end of JSON, expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> Kind.OBJECT;
            case '[' -> Kind.ARRAY;
            case '"' -> Kind.STRING;
            default -> c == '-' || (c >= '0' && c <= '9') ? Kind.NUMBER : Kind.OTHER;
        };
    }

    /** Consumes the opening brace of an object. */
    void beginObject() throws IOException {
        expect('{', "an object");
        closers.append('}');
        first = true;
    }

    /** Consumes the opening bracket of an array. */
    void beginArray() throws IOException {
        expect('[', "an array");
        closers.append(']');
        first = true;
    }

    /**
     * Whether the innermost open object or array has another element: consumes the comma before it, or the
     * matching closing bracket after the last element.
     */
    boolean hasNext() throws IOException {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("unexpected end of JSON inside an object or array");
        }
        char c = text.charAt(pos);
        if (c == '}' || c == ']') {
            char expected = closers.charAt(closers.length() - 1);
            if (c != expected) {
                throw error("expected '" + expected + "', found '" + c + "'");
            }
            closers.setLength(closers.length() - 1);
            pos++;
            first = false;
            return false;
        }
        if (!first) {
            expect(',', "',' or the end of the object or array");
        }
        first = false;
        return true;
    }

    /** Reads an object member's name and the colon after it. */
    String nextName() throws IOException {
        String name = nextString();
        expect(':', "':' after a member name");
        return name;
    }

    /** Reads a string, resolving escapes. */
    String nextString() throws IOException {
        expect('"', "a string");
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("unescaped control character 0x" + Integer.toHexString(c) + " in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated escape in a string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> unicodeEscape(out);
                default -> throw error("invalid escape '\\" + e + "' in a string");
            }
        }
    }

    /** Reads an integer that fits in a long (no fraction, no exponent, no leading zeros). */
    long nextLong() throws IOException {
        if (peek() != Kind.NUMBER) {
            throw error("expected an integer");
        }
        int start = pos;
        if (text.charAt(pos) == '-') {
            pos++;
        }
        int digits = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == digits) {
            throw error("expected a digit after '-'");
        }
        if (text.charAt(digits) == '0' && pos - digits > 1) {
            throw error("leading zero in an integer");
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw error("expected an integer, found a fraction or exponent");
        }
        try {
            return Long.parseLong(text, start, pos, 10);
        } catch (NumberFormatException tooLong) {
            pos = start;
            throw error("integer out of range: " + text.substring(start, Math.min(start + 40, text.length())));
        }
    }

    /** Checks that only whitespace follows the value just read. */
    void endDocument() throws IOException {
        skipWhitespace();
        if (pos < text.length()) {
            throw error("unexpected content after the end of the JSON value");
        }
    }

    /** An error at the current position, naming the source. */
    private IOException error(String problem) {
        return new IOException(source + ": bad JSON header at character " + pos + ": " + problem);
    }

    /** Appends the character of a {@code \\u} escape, or the surrogate pair of two escapes. */
    private void unicodeEscape(StringBuilder out) throws IOException {
        char c = hex4();
        if (Character.isHighSurrogate(c) && text.startsWith("\\u", pos)) {
            pos += 2;
            char low = hex4();
            if (Character.isLowSurrogate(low)) {
                out.append(c).append(low);
                return;
            }
        }
        if (Character.isSurrogate(c)) {
            throw error("unpaired surrogate in a \\u escape");
        }
        out.append(c);
    }

    private char hex4() throws IOException {
        if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            char h = text.charAt(pos + i);
            // ASCII only: Character.digit would also take other scripts' digits
            int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (digit < 0) {
                throw error("invalid hex digit in a \\u escape");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private void expect(char c, String what) throws IOException {
        skipWhitespace();
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("expected " + what + (pos >= text.length() ? ", found the end" : ", found '" + text.charAt(pos) + "'"));
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }
}
