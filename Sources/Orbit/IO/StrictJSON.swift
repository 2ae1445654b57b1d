/// A JSON value from a safetensors header. Objects keep their members in file order.
indirect enum JSONValue: Equatable {
    case object([JSONMember])
    case array([JSONValue])
    case string(String)
    case number(JSONNumber)
    case bool(Bool)
    case null

    /// A short name of the value's type, for error messages.
    var typeName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number(let number): "the number \(number.literal)"
        case .bool(let value): "\(value)"
        case .null: "null"
        }
    }
}

/// One `"key": value` pair of a JSON object, with the header byte offset of its key.
struct JSONMember: Equatable {
    let key: String
    let value: JSONValue
    let byteOffset: Int
}

/// A JSON number: its literal text and, when the literal is an integer (no fraction, no exponent)
/// that fits in `Int`, that integer.
struct JSONNumber: Equatable {
    let literal: String
    let integer: Int?
}

/// A strict JSON (RFC 8259) parser for untrusted safetensors headers.
///
/// Why not `JSONSerialization`: it silently keeps one of two duplicate keys, so a file could show
/// different tensors to different readers. This parser rejects duplicate keys at every depth, raw
/// control characters and invalid UTF-8 in strings, lone surrogates in `\u` escapes, leading zeros,
/// and nesting deeper than a limit (the parser recurses, so the limit bounds its stack). Numbers with a
/// fraction or exponent are parsed but never converted to floating point: headers only need integers.
/// Keys are compared as Swift strings, so two keys that differ only in Unicode normalization count as
/// duplicates (stricter than byte comparison, never more lenient).
struct StrictJSONParser {
    private let bytes: UnsafeRawBufferPointer
    private let maximumDepth: Int
    private var position = 0

    private init(bytes: UnsafeRawBufferPointer, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// Parses `bytes` as one JSON object followed only by whitespace (the padding writers add).
    /// The first byte must be `{`, as the safetensors format requires.
    static func parseObject(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int) throws(SafeTensorsError) -> [JSONMember] {
        var parser = StrictJSONParser(bytes: bytes, maximumDepth: maximumDepth)
        guard parser.peek() == UInt8(ascii: "{") else {
            throw parser.error("the header must begin with '{'")
        }
        let members = try parser.parseMembers(depth: 1)
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw parser.error("unexpected \(parser.describeCurrentByte()) after the header object")
        }
        return members
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(SafeTensorsError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw error("unexpected end of header, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseMembers(depth: depth))
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        default: throw error("unexpected \(describeCurrentByte()), expected a value")
        }
    }

    /// The members of the object that starts at the current `{`.
    private mutating func parseMembers(depth: Int) throws(SafeTensorsError) -> [JSONMember] {
        try enter(depth: depth)
        position += 1  // "{"
        var members: [JSONMember] = []
        var seenKeys = Set<String>()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return members
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key, found \(describeCurrentByte())") }
            let keyOffset = position
            let key = try parseString()
            guard seenKeys.insert(key).inserted else { throw SafeTensorsError.duplicateKey(key, byteOffset: keyOffset) }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "after the key")
            let value = try parseValue(depth: depth + 1)
            members.append(JSONMember(key: key, value: value, byteOffset: keyOffset))
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect(UInt8(ascii: "}"), "after an object member")
            return members
        }
    }

    private mutating func parseArray(depth: Int) throws(SafeTensorsError) -> JSONValue {
        try enter(depth: depth)
        position += 1  // "["
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect(UInt8(ascii: "]"), "after an array element")
            return .array(elements)
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func parseNumber() throws(SafeTensorsError) -> JSONNumber {
        let start = position
        let negative = peek() == UInt8(ascii: "-")
        if negative { position += 1 }
        var magnitude: Int? = 0
        if peek() == UInt8(ascii: "0") {
            position += 1
        } else {
            guard isDigit(peek()) else { throw error("expected a digit, found \(describeCurrentByte())") }
            while let byte = peek(), isDigit(byte) {
                magnitude = magnitude.flatMap { accumulate($0, digit: byte) }
                position += 1
            }
        }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            try skipDigits("after the decimal point")
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            try skipDigits("in the exponent")
        }
        let literal = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        let integer = isInteger ? magnitude.map { negative ? -$0 : $0 } : nil
        return JSONNumber(literal: literal, integer: integer)
    }

    private func accumulate(_ value: Int, digit: UInt8) -> Int? {
        let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflowAdd) = shifted.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
        return overflowShift || overflowAdd ? nil : sum
    }

    private mutating func skipDigits(_ place: String) throws(SafeTensorsError) {
        guard isDigit(peek()) else { throw error("expected a digit \(place), found \(describeCurrentByte())") }
        while isDigit(peek()) { position += 1 }
    }

    private func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(SafeTensorsError) {
        let start = position
        for expected in UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount) {
            guard peek() == expected else {
                position = start
                throw error("unexpected \(describeCurrentByte()), expected a value")
            }
            position += 1
        }
    }

    // MARK: Strings

    private mutating func parseString() throws(SafeTensorsError) -> String {
        let start = position
        position += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else {
                position = start
                throw error("unterminated string")
            }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    position = start
                    throw error("string is not valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                position -= 1
                throw error("control character \(byte) must be escaped inside a string")
            default:
                utf8.append(byte)
            }
        }
    }

    /// One escape sequence after its backslash; `\u` pairs of surrogates combine into one scalar.
    private mutating func parseEscape(into utf8: inout [UInt8]) throws(SafeTensorsError) {
        guard let byte = peek() else { throw error("unterminated escape sequence") }
        position += 1
        let simple: UInt8? = switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple {
            utf8.append(simple)
            return
        }
        guard byte == UInt8(ascii: "u") else {
            position -= 1
            throw error("invalid escape: a backslash followed by \(describeCurrentByte())")
        }
        var value = try parseHexQuad()
        if (0xDC00...0xDFFF).contains(value) {
            throw error("lone low surrogate \\u\(hex(value)) in a string")
        }
        if (0xD800...0xDBFF).contains(value) {
            guard peek() == UInt8(ascii: "\\"), peek(offset: 1) == UInt8(ascii: "u") else {
                throw error("high surrogate \\u\(hex(value)) is not followed by a low surrogate")
            }
            position += 2
            let low = try parseHexQuad()
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("high surrogate \\u\(hex(value)) is followed by \\u\(hex(low)), not a low surrogate")
            }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw error("invalid code point \(value)") }
        UTF8.encode(scalar) { utf8.append($0) }
    }

    private mutating func parseHexQuad() throws(SafeTensorsError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek() else { throw error("unterminated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("expected a hexadecimal digit in a \\u escape, found \(describeCurrentByte())")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    // MARK: Cursor

    private func peek(offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ place: String) throws(SafeTensorsError) {
        guard peek() == byte else {
            throw error("expected '\(Character(Unicode.Scalar(byte)))' \(place), found \(describeCurrentByte())")
        }
        position += 1
    }

    private func enter(depth: Int) throws(SafeTensorsError) {
        guard depth <= maximumDepth else { throw error("nesting is deeper than the limit of \(maximumDepth)") }
    }

    private func describeCurrentByte() -> String {
        guard let byte = peek() else { return "end of header" }
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    private func error(_ reason: String) -> SafeTensorsError {
        .malformedHeader(byteOffset: position, reason: reason)
    }
}
