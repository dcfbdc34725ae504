package io.lanewise.io;

import static io.lanewise.io.SafetensorsBytes.f32;
import static io.lanewise.io.SafetensorsBytes.file;
import static io.lanewise.io.SafetensorsBytes.write;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each kind of corrupt or hostile file is an IOException naming the file and the problem. */
class SafetensorsHostileTest {
    @TempDir
    Path folder;

    private static final String W = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    private void assertRejected(byte[] bytes, String expected) throws IOException {
        Path path = write(folder, "hostile.safetensors", bytes);
        IOException e = assertThrows(IOException.class, () -> SafetensorsReader.read(path));
        assertTrue(e.getMessage().contains(path.toString()), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private static byte[] withLength(long length, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(rest).array();
    }

    @Test
    void headerLengthPastTheEndOrOverTheLimit() throws IOException {
        assertRejected(withLength(1000, "{}".getBytes()), "header length 1000 runs past the end of the file (10 bytes)");
        assertRejected(withLength(200_000_000, "{}".getBytes()), "exceeds the limit of 100000000 bytes");
        assertRejected(withLength(-1, "{}".getBytes()), "header length 18446744073709551615 exceeds the limit");
        assertRejected(new byte[] {2, 0, 0}, "3 bytes is too short");
        assertRejected(withLength(0, new byte[0]), "the header must begin with '{'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // data_offsets out of range, overlapping, with gaps, or leaving bytes over
        "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}                 | 8  | runs past the end of the data section (8 bytes)",
        "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]} | 8 | overlaps tensor 'a', which ends at 4",
        "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}                  | 8  | leaves a gap of 4 bytes before it",
        "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}                  | 8  | 4 bytes after the last tensor's data belong to no tensor",
        "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}                  | 8  | data_offsets must be [begin, end] with 0 <= begin <= end",
        "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}                    | 8  | data_offsets must be [begin, end]",
        "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}                | 8  | data_offsets has more than 2 entries",
        // shape x dtype size against byte length
        "\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}                  | 8  | shape [3] of F32 needs 12 bytes, but data_offsets [0, 8] hold 8",
        "\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}                  | 8  | shape [2] of F16 needs 4 bytes",
        "\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}                 | 8  | negative dimension in shape [-2]",
        "\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,2],\"data_offsets\":[0,8]} | 8 | needs more than 2^63 bytes",
        "\"w\":{\"dtype\":\"F32\",\"shape\":[1000000000000],\"data_offsets\":[0,8]}      | 8  | needs 4000000000000 bytes",
        "\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,8]} | 8 | integer out of range",
        // dtypes, keys and names
        "\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}                  | 8  | unsupported dtype 'F64' (supported: [F32, F16, BF16])",
        "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1}      | 8  | unexpected key 'extra'",
        "\"w\":{\"dtype\":\"F32\",\"shape\":[2]}                                         | 8  | tensor 'w' lacks data_offsets",
        "\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]} | 8  | duplicate key 'dtype'",
        "\"w\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}                       | 8  | dtype must be a string",
        "\"w\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}                    | 8  | shape must be an array of integers",
        "\"\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}           | 8  | a tensor has an empty name",
        "\"w\":[]                                                                        | 8  | tensor 'w' must be an object",
        "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]} | 8 | duplicate name 'w'",
        // metadata
        "\"__metadata__\":{\"layers\":3}," + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]} | 8 | __metadata__ value of 'layers' must be a string",
        "\"__metadata__\":[]," + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]} | 8 | __metadata__ must be an object of strings",
        "\"__metadata__\":{},\"__metadata__\":{}," + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]} | 8 | duplicate name '__metadata__'",
        "\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}," + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]} | 8 | duplicate key 'k' in __metadata__",
    })
    void badTensorEntries(String members, int dataBytes, String expected) throws IOException {
        assertRejected(file("{" + members + "}", new byte[dataBytes]), expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{" + W + "                      | unexpected end of JSON inside an object or array",
        "{" + W + ",}                    | expected a string, found '}'",
        "{" + W + "} x                   | unexpected content after the end of the JSON value",
        "{" + W + "}{}                   | unexpected content after the end of the JSON value",
        "{'w':1}                         | expected a string, found '''",
        "{\"w\" 1}                       | expected ':' after a member name",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2},\"data_offsets\":[0,8]}} | expected ']', found '}'",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]]} | expected '}', found ']'",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}} | found a fraction or exponent",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[02],\"data_offsets\":[0,8]}}  | leading zero in an integer",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[true],\"data_offsets\":[0,8]}} | expected an integer",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,],\"data_offsets\":[0,8]}}  | expected an integer",
        "{\"w\\x\":1}                    | invalid escape '\\x' in a string",
        "{\"w\\ud800\":1}                | unpaired surrogate",
        "{\"w\\u12\":1}                  | invalid hex digit",
        "{\"w\\u\u0663\u0663\u0663\u0663\":1}  | invalid hex digit",
        "` {}`                           | the header must begin with '{'",
    })
    void badJson(String header, String expected) throws IOException {
        assertRejected(file(header, new byte[8]), expected);
    }

    @Test
    void controlCharactersAndInvalidUtf8() throws IOException {
        assertRejected(file("{\"a\tb\":1}", new byte[0]), "unescaped control character 0x9");
        byte[] bytes = file("{\"w\":{}}", new byte[0]);
        bytes[11] = (byte) 0xC3; // a lead byte whose continuation is missing
        assertRejected(bytes, "the header is not valid UTF-8");
    }

    @Test
    void tooManyDimensions() throws IOException {
        String dims = "1,".repeat(SafetensorsReader.MAX_RANK) + "1";
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + dims + "],\"data_offsets\":[0,4]}}", f32(1)),
                "shape has more than 64 entries");
    }
}
