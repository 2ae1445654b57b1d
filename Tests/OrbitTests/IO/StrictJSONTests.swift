@testable import Orbit
import Testing

// The header parser on its own: what JSON it accepts and what it refuses.

private func parse(_ text: String, maximumDepth: Int = 64) throws(SafeTensorsError) -> [JSONMember] {
    let bytes = Array(text.utf8)
    let result = bytes.withUnsafeBytes { buffer in
        Result { () throws(SafeTensorsError) in try StrictJSONParser.parseObject(buffer, maximumDepth: maximumDepth) }
    }
    return try result.get()
}

private func value(_ json: String) throws -> JSONValue {
    try #require(try parse(#"{"v":"# + json + "}").first).value
}

@Test func parsesEveryKindOfValue() throws {
    #expect(try value(#""text""#) == .string("text"))
    #expect(try value("true") == .bool(true))
    #expect(try value("false") == .bool(false))
    #expect(try value("null") == .null)
    #expect(try value("[]") == .array([]))
    #expect(try value("{}") == .object([]))
    #expect(try value(" [ 1 , [ ] , { } ] ") == .array([
        .number(JSONNumber(literal: "1", integer: 1)), .array([]), .object([]),
    ]))
}

@Test func numbersKeepTheirLiteralAndIntegerValue() throws {
    let cases: [(String, Int?)] = [
        ("0", 0), ("-0", 0), ("7", 7), ("-12", -12), ("9223372036854775807", .max),
        ("9223372036854775808", nil), ("-9223372036854775808", nil), ("1.5", nil), ("1e3", nil),
        ("2E+2", nil), ("0.0", nil), ("-1.25e-7", nil),
    ]
    for (literal, integer) in cases {
        #expect(try value(literal) == .number(JSONNumber(literal: literal, integer: integer)), "\(literal)")
    }
}

@Test func rejectsMalformedNumbers() {
    for literal in ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.e3", "--1", "NaN", "Infinity"] {
        #expect(throws: SafeTensorsError.self, "\(literal)") { try value(literal) }
    }
}

@Test func decodesStringEscapes() throws {
    #expect(try value(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{8} \u{C} \n \r \t"))
    #expect(try value(#""\u0041\u00e9\u20AC""#) == .string("Aé€"))
    #expect(try value(#""\u0000""#) == .string("\u{0}"))
    // A surrogate pair is one scalar: U+1F600.
    #expect(try value(#""\uD83D\uDE00""#) == .string("😀"))
    #expect(try value(#""raw é 😀""#) == .string("raw é 😀"))
}

@Test func rejectsBadStrings() {
    let cases: [(String, String)] = [
        (#""\x""#, "invalid escape"),
        (#""\u12""#, "hexadecimal digit"),
        (#""\uDE00""#, "lone low surrogate"),
        (#""\uD83D""#, "not followed by a low surrogate"),
        (#""\uD83Dx""#, "not followed by a low surrogate"),
        (#""\uD83D\u0041""#, "not a low surrogate"),
        ("\"tab\there\"", "control character 9"),
        ("\"line\nbreak\"", "control character 10"),
        (#""unterminated"#, "unterminated string"),
    ]
    for (json, fragment) in cases {
        do {
            _ = try value(json)
            Issue.record("accepted \(json)")
        } catch {
            #expect("\(error)".contains(fragment), "\(json): \(error)")
        }
    }
}

@Test func rejectsInvalidUTF8() {
    let invalid: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]]
    for sequence in invalid {
        let bytes = Array(#"{"v":""#.utf8) + sequence + Array(#""}"#.utf8)
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(SafeTensorsError) in try StrictJSONParser.parseObject(buffer, maximumDepth: 8) }
        }
        #expect(throws: SafeTensorsError.malformedHeader(byteOffset: 5, reason: "string is not valid UTF-8")) {
            try result.get()
        }
    }
}

@Test func rejectsDuplicateKeysAtEveryDepth() {
    #expect(throws: SafeTensorsError.duplicateKey("a", byteOffset: 7)) { try parse(#"{"a":1,"a":2}"#) }
    #expect(throws: SafeTensorsError.duplicateKey("b", byteOffset: 13)) { try parse(#"{"a":{"b":1, "b":1}}"#) }
    #expect(throws: SafeTensorsError.duplicateKey("c", byteOffset: 13)) { try parse(#"{"a":[{"c":1,"c":2}]}"#) }
    // Escapes are decoded before comparing: "\u0061" is "a".
    #expect(throws: SafeTensorsError.duplicateKey("a", byteOffset: 7)) { try parse(#"{"a":1,"\u0061":2}"#) }
    // The same key in two different objects is fine.
    #expect(throws: Never.self) { try parse(#"{"a":{"k":1},"b":{"k":1}}"#) }
}

@Test func rejectsStructuralErrors() {
    let cases: [(String, String)] = [
        (#"{"a":1,}"#, "expected a string key"),
        (#"{"a" 1}"#, "expected ':'"),
        (#"{"a":1 "b":2}"#, "expected '}'"),
        (#"{"a":[1 2]}"#, "expected ']'"),
        (#"{"a":[1,]}"#, "expected a value"),
        (#"{"a":tru}"#, "expected a value"),
        (#"{"a":nul"#, "expected a value"),
        (#"{a:1}"#, "expected a string key"),
        (#"{"a":1"#, "expected '}'"),
        (#"{"a":"#, "unexpected end of header"),
        ("{", "expected a string key"),
        (#"{}{}"#, "after the header object"),
        (#"{"a":'x'}"#, "expected a value"),
    ]
    for (json, fragment) in cases {
        do {
            _ = try parse(json)
            Issue.record("accepted \(json)")
        } catch {
            #expect("\(error)".contains(fragment), "\(json): \(error)")
        }
    }
}

@Test func nestingDepthIsLimited() throws {
    // The object is depth 1 and each array one more.
    let nested = { (arrays: Int) in #"{"a":"# + String(repeating: "[", count: arrays) + String(repeating: "]", count: arrays) + "}" }
    #expect(try parse(nested(7), maximumDepth: 8).count == 1)
    #expect(throws: SafeTensorsError.malformedHeader(byteOffset: 12, reason: "nesting is deeper than the limit of 8")) {
        try parse(nested(8), maximumDepth: 8)
    }
    // Far deeper than any stack could take by recursion is refused at the limit, not by crashing.
    #expect(throws: SafeTensorsError.self) { try parse(nested(1_000_000)) }
}

@Test func membersKeepTheirOrderAndOffsets() throws {
    let members = try parse(#"{ "z":1, "a":2, "m":3 }"#)
    #expect(members.map(\.key) == ["z", "a", "m"])
    #expect(members.map(\.byteOffset) == [2, 9, 16])
}
