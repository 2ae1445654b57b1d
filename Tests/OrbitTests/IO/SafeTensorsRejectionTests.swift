import Orbit
import Testing

// Every rule the reader enforces, each broken by one crafted file, with the exact error expected.

struct Rejection: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let expected: SafeTensorsError
    var limits = SafeTensors.Limits.default
    var testDescription: String { name }
}

/// One header entry, valid by default: F32 of shape [2] at bytes 0..<8.
private func entry(_ name: String = "w", dtype: String = #""F32""#, shape: String = "[2]",
                   offsets: String = "[0,8]") -> String {
    #""\#(name)":{"dtype":\#(dtype),"shape":\#(shape),"data_offsets":\#(offsets)}"#
}

private func file(_ members: String..., data: Int = 8) -> [UInt8] {
    safeTensorsBytes(header: "{" + members.joined(separator: ",") + "}", data: [UInt8](repeating: 0, count: data))
}

private let framing: [Rejection] = [
    Rejection(name: "fewer than 8 bytes", bytes: [1, 2, 3, 4, 5, 6, 7], expected: .fileTooShort(byteCount: 7)),
    Rejection(name: "header length over the default limit", bytes: littleEndianBytes(100_000_001) + Array("{}".utf8),
              expected: .headerTooLarge(headerByteCount: 100_000_001, limit: 100_000_000)),
    Rejection(name: "header length 2^64 - 1", bytes: littleEndianBytes(.max),
              expected: .headerTooLarge(headerByteCount: .max, limit: 100_000_000)),
    Rejection(name: "header length over a configured limit", bytes: safeTensorsBytes(header: "{}      "),
              expected: .headerTooLarge(headerByteCount: 8, limit: 4),
              limits: SafeTensors.Limits(maximumHeaderByteCount: 4)),
    Rejection(name: "header longer than the file", bytes: littleEndianBytes(100) + Array("{}".utf8),
              expected: .headerExceedsFile(headerByteCount: 100, availableByteCount: 2)),
    Rejection(name: "empty header", bytes: littleEndianBytes(0),
              expected: .malformedHeader(byteOffset: 0, reason: "the header must begin with '{'")),
    Rejection(name: "header starting with a space", bytes: safeTensorsBytes(header: " {}"),
              expected: .malformedHeader(byteOffset: 0, reason: "the header must begin with '{'")),
    Rejection(name: "header that is an array", bytes: safeTensorsBytes(header: "[]"),
              expected: .malformedHeader(byteOffset: 0, reason: "the header must begin with '{'")),
    Rejection(name: "text after the header object", bytes: safeTensorsBytes(header: "{} x"),
              expected: .malformedHeader(byteOffset: 3, reason: "unexpected 'x' after the header object")),
    Rejection(name: "NUL padding", bytes: safeTensorsBytes(header: "{}\u{0}"),
              expected: .malformedHeader(byteOffset: 2, reason: "unexpected byte 0x0 after the header object")),
    Rejection(name: "nesting deeper than 64", bytes: safeTensorsBytes(header: #"{"a":"# + String(repeating: "[", count: 100)
                                                                            + String(repeating: "]", count: 100) + "}"),
              expected: .malformedHeader(byteOffset: 68, reason: "nesting is deeper than the limit of 64")),
    Rejection(name: "invalid UTF-8 in a name", bytes: littleEndianBytes(7) + [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x7B, 0x7D],
              expected: .malformedHeader(byteOffset: 1, reason: "string is not valid UTF-8")),
]

private let entries: [Rejection] = [
    Rejection(name: "unknown dtype", bytes: file(entry(dtype: #""F8_E4M3""#)), expected: .unsupportedDType(name: "w", dtype: "F8_E4M3")),
    Rejection(name: "lowercase dtype", bytes: file(entry(dtype: #""f32""#)), expected: .unsupportedDType(name: "w", dtype: "f32")),
    Rejection(name: "U64 dtype", bytes: file(entry(dtype: #""U64""#)), expected: .unsupportedDType(name: "w", dtype: "U64")),
    Rejection(name: "dtype that is a number", bytes: file(entry(dtype: "4")),
              expected: .invalidEntry(name: "w", reason: "dtype must be a string, found the number 4")),
    Rejection(name: "entry that is an array", bytes: file(#""w":[1]"#, data: 0),
              expected: .invalidEntry(name: "w", reason: "the entry must be an object, found an array")),
    Rejection(name: "missing data_offsets", bytes: file(#""w":{"dtype":"F32","shape":[2]}"#),
              expected: .invalidEntry(name: "w", reason: "missing field data_offsets")),
    Rejection(name: "unknown field", bytes: file(#""w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}"#),
              expected: .invalidEntry(name: "w", reason: "unknown field \"extra\"")),
    Rejection(name: "negative size", bytes: file(entry(shape: "[-2]")),
              expected: .invalidShape(name: "w", reason: "entry 0 is the number -2, not a non-negative integer")),
    Rejection(name: "fractional size", bytes: file(entry(shape: "[1,2.0]")),
              expected: .invalidShape(name: "w", reason: "entry 1 is the number 2.0, not a non-negative integer")),
    Rejection(name: "size with an exponent", bytes: file(entry(shape: "[2e0]")),
              expected: .invalidShape(name: "w", reason: "entry 0 is the number 2e0, not a non-negative integer")),
    Rejection(name: "size that is a string", bytes: file(entry(shape: #"["2"]"#)),
              expected: .invalidShape(name: "w", reason: "entry 0 is a string, not a non-negative integer")),
    Rejection(name: "size above Int.max", bytes: file(entry(shape: "[99999999999999999999]")),
              expected: .invalidShape(name: "w", reason: "entry 0 is the number 99999999999999999999, not a non-negative integer")),
    Rejection(name: "shape that is a number", bytes: file(entry(shape: "2")),
              expected: .invalidShape(name: "w", reason: "must be an array, found the number 2")),
    Rejection(name: "element count overflow", bytes: file(entry(shape: "[4294967296,4294967296]", offsets: "[0,0]"), data: 0),
              expected: .invalidShape(name: "w", reason: "[4294967296, 4294967296] has more elements or bytes than fit in Int")),
    Rejection(name: "overflow hidden behind a zero", bytes: file(entry(shape: "[4294967296,4294967296,0]", offsets: "[0,0]"), data: 0),
              expected: .invalidShape(name: "w", reason: "[4294967296, 4294967296, 0] has more elements or bytes than fit in Int")),
    Rejection(name: "byte count overflow", bytes: file(entry(shape: "[2305843009213693952]", offsets: "[0,0]"), data: 0),
              expected: .invalidShape(name: "w", reason: "[2305843009213693952] has more elements or bytes than fit in Int")),
    Rejection(name: "end before begin", bytes: file(entry(shape: "[0]", offsets: "[8,0]")),
              expected: .invalidDataOffsets(name: "w", reason: "[8, 0] ends before it begins")),
    Rejection(name: "negative begin", bytes: file(entry(offsets: "[-8,0]")),
              expected: .invalidDataOffsets(name: "w", reason: "[the number -8, the number 0] are not two non-negative integers")),
    Rejection(name: "fractional end", bytes: file(entry(offsets: "[0,8.0]")),
              expected: .invalidDataOffsets(name: "w", reason: "[the number 0, the number 8.0] are not two non-negative integers")),
    Rejection(name: "offset above Int.max", bytes: file(entry(offsets: "[9223372036854775800,9223372036854775808]")),
              expected: .invalidDataOffsets(name: "w", reason: "[the number 9223372036854775800, the number 9223372036854775808] are not two non-negative integers")),
    Rejection(name: "three offsets", bytes: file(entry(offsets: "[0,4,8]")),
              expected: .invalidDataOffsets(name: "w", reason: "must be an array of two integers [begin, end], found an array")),
    Rejection(name: "offsets that are null", bytes: file(entry(offsets: "null")),
              expected: .invalidDataOffsets(name: "w", reason: "must be an array of two integers [begin, end], found null")),
    Rejection(name: "size not matching the shape", bytes: file(entry(offsets: "[0,12]"), data: 12),
              expected: .byteCountMismatch(name: "w", dtype: "F32", shape: [2], expected: 8, actual: 12)),
    Rejection(name: "invalid BOOL byte", bytes: safeTensorsBytes(header: "{" + entry("m", dtype: #""BOOL""#, offsets: "[0,2]") + "}", data: [1, 2]),
              expected: .invalidBool(name: "m", index: 1, byte: 2)),
]

private let layout: [Rejection] = [
    Rejection(name: "overlapping tensors", bytes: file(entry("a"), entry("b", offsets: "[4,12]"), data: 12),
              expected: .nonContiguousData(name: "b", begin: 4, expectedBegin: 8)),
    Rejection(name: "the same range twice", bytes: file(entry("a"), entry("b")),
              expected: .nonContiguousData(name: "b", begin: 0, expectedBegin: 8)),
    Rejection(name: "gap between tensors", bytes: file(entry("a"), entry("b", offsets: "[12,20]"), data: 20),
              expected: .nonContiguousData(name: "b", begin: 12, expectedBegin: 8)),
    Rejection(name: "gap at the start", bytes: file(entry("a", offsets: "[4,12]"), data: 12),
              expected: .nonContiguousData(name: "a", begin: 4, expectedBegin: 0)),
    Rejection(name: "empty tensor inside another", bytes: file(entry("a"), entry("e", shape: "[0]", offsets: "[4,4]")),
              expected: .nonContiguousData(name: "e", begin: 4, expectedBegin: 8)),
    Rejection(name: "offsets far beyond the file", bytes: file(entry(offsets: "[9223372036854775799,9223372036854775807]")),
              expected: .nonContiguousData(name: "w", begin: 9_223_372_036_854_775_799, expectedBegin: 0)),
    Rejection(name: "data longer than the tensors", bytes: file(entry(), data: 9),
              expected: .dataSizeMismatch(coveredByteCount: 8, dataByteCount: 9)),
    Rejection(name: "data shorter than the tensors", bytes: file(entry(), data: 7),
              expected: .dataSizeMismatch(coveredByteCount: 8, dataByteCount: 7)),
    Rejection(name: "no data at all", bytes: file(entry(), data: 0),
              expected: .dataSizeMismatch(coveredByteCount: 8, dataByteCount: 0)),
]

private let keys: [Rejection] = [
    Rejection(name: "duplicate tensor names", bytes: file(entry(), entry()),
              expected: .duplicateKey("w", byteOffset: 1 + entry().utf8.count + 1)),
    Rejection(name: "duplicate field in an entry", bytes: file(#""w":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}"#),
              expected: .duplicateKey("dtype", byteOffset: 20)),
    Rejection(name: "duplicate metadata key", bytes: file(#""__metadata__":{"a":"1","a":"2"}"#, data: 0),
              expected: .duplicateKey("a", byteOffset: 25)),
    Rejection(name: "metadata twice", bytes: file(#""__metadata__":{}"#, #""__metadata__":{}"#, data: 0),
              expected: .duplicateKey("__metadata__", byteOffset: 19)),
    Rejection(name: "metadata value that is a number", bytes: file(#""__metadata__":{"a":1}"#, data: 0),
              expected: .invalidMetadata(key: "a", reason: "values must be strings, found the number 1")),
    Rejection(name: "metadata value that is an object", bytes: file(#""__metadata__":{"ok":"x","a":{}}"#, data: 0),
              expected: .invalidMetadata(key: "a", reason: "values must be strings, found an object")),
    Rejection(name: "metadata that is a string", bytes: file(#""__metadata__":"x""#, data: 0),
              expected: .invalidMetadata(key: "__metadata__", reason: "must be an object, found a string")),
]

@Test(arguments: framing + entries + layout + keys)
func rejects(_ rejection: Rejection) {
    #expect(throws: rejection.expected) { try SafeTensors.decode(rejection.bytes, limits: rejection.limits) }
}

@Test func trailingWhitespaceAfterTheHeaderIsAccepted() throws {
    let file = try SafeTensors.decode(safeTensorsBytes(header: "{" + entry() + "} \n\t\r  ", data: [UInt8](repeating: 0, count: 8)))
    #expect(file.names == ["w"])
}

@Test func emptyTensorsMayShareAnOffsetWithTheirNeighbours() throws {
    // Zero-size tensors occupy no bytes; at a tensor boundary they are accepted in any header order.
    let bytes = file(entry("b", offsets: "[8,16]"), entry("e1", shape: "[0,3]", offsets: "[8,8]"), entry("a"),
                     entry("e2", shape: "[0]", offsets: "[16,16]"), entry("e0", shape: "[0]", offsets: "[0,0]"), data: 16)
    #expect(try SafeTensors.decode(bytes).names == ["e0", "a", "e1", "b", "e2"])
}

@Test func everyMessageNamesTheKeyAndTheProblem() {
    let messages: [(SafeTensorsError, [String])] = [
        (.unsupportedDType(name: "layer.w", dtype: "F8_E4M3"), ["\"layer.w\"", "F8_E4M3", "BF16"]),
        (.byteCountMismatch(name: "b", dtype: "F32", shape: [2, 3], expected: 24, actual: 20), ["\"b\"", "[2, 3]", "24", "20"]),
        (.nonContiguousData(name: "b", begin: 4, expectedBegin: 8), ["\"b\"", "overlapping", "8"]),
        (.nonContiguousData(name: "b", begin: 12, expectedBegin: 8), ["\"b\"", "gap", "12"]),
        (.invalidMetadata(key: "lr", reason: "values must be strings"), ["metadata \"lr\"", "strings"]),
        (.duplicateKey("w", byteOffset: 40), ["\"w\"", "twice", "40"]),
        (.headerExceedsFile(headerByteCount: 100, availableByteCount: 2), ["header length", "100", "2"]),
        (.dataSizeMismatch(coveredByteCount: 8, dataByteCount: 9), ["data buffer", "8", "9"]),
        (.invalidEntry(name: "quote\"name", reason: "x"), [#""quote\"name""#]),
    ]
    for (error, fragments) in messages {
        for fragment in fragments {
            #expect(error.description.contains(fragment), "\(fragment) missing in \(error.description)")
        }
    }
}
