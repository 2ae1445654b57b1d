/// A deliberately simple DEFLATE encoder written from RFC 1951 for the tests: it writes whatever tokens
/// and code lengths it is given, valid or not, so tests can reach every length and distance code, codes
/// of 15 bits, and malformed code descriptions that no real compressor would produce.
struct DeflateWriter {
    /// A literal byte or a back-reference, before encoding.
    enum Token {
        case literal(UInt8)
        case match(length: Int, distance: Int)
    }

    private(set) var bytes: [UInt8] = []
    private var bitCount = 0

    /// Appends `count` bits of `value`, least significant first (how DEFLATE packs fields).
    mutating func write(_ value: Int, bits count: Int) {
        for bit in 0..<count {
            if bitCount % 8 == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= UInt8((value >> bit) & 1) << (bitCount % 8)
            bitCount += 1
        }
    }

    /// Appends a Huffman code, most significant bit first (RFC 1951 §3.1.1).
    mutating func writeCode(_ code: Int, length: Int) {
        for bit in stride(from: length - 1, through: 0, by: -1) { write((code >> bit) & 1, bits: 1) }
    }

    /// Pads with zero bits to a byte boundary.
    mutating func alignToByte() {
        while bitCount % 8 != 0 { write(0, bits: 1) }
    }

    /// Canonical codes for `lengths` (RFC 1951 §3.2.2); unused symbols get code 0.
    static func canonicalCodes(_ lengths: [Int]) -> [Int] {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths where length > 0 { counts[length] += 1 }
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            next[length] = code
        }
        return lengths.map { length in
            guard length > 0 else { return 0 }
            defer { next[length] += 1 }
            return next[length]
        }
    }

    /// Length symbol 257...285 and extra bits for a match length 3...258.
    static let lengthBases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                              35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtraBits = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBases = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                                1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtraBits = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
                                    9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// The fixed code lengths of block type 1 (RFC 1951 §3.2.6).
    static let fixedLiteralLengthLengths = [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
        + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8)
    static let fixedDistanceLengths = [Int](repeating: 5, count: 30)

    /// Writes `tokens` and the end-of-block symbol with the given codes (no block header).
    mutating func writeTokens(_ tokens: [Token], literalLengthLengths: [Int], distanceLengths: [Int]) {
        let literalLengthCodes = DeflateWriter.canonicalCodes(literalLengthLengths)
        let distanceCodes = DeflateWriter.canonicalCodes(distanceLengths)
        for token in tokens {
            switch token {
            case let .literal(byte):
                writeCode(literalLengthCodes[Int(byte)], length: literalLengthLengths[Int(byte)])
            case let .match(length, distance):
                let lengthIndex = DeflateWriter.lengthBases.lastIndex { $0 <= length }!
                writeCode(literalLengthCodes[257 + lengthIndex], length: literalLengthLengths[257 + lengthIndex])
                write(length - DeflateWriter.lengthBases[lengthIndex], bits: DeflateWriter.lengthExtraBits[lengthIndex])
                let distanceIndex = DeflateWriter.distanceBases.lastIndex { $0 <= distance }!
                writeCode(distanceCodes[distanceIndex], length: distanceLengths[distanceIndex])
                write(distance - DeflateWriter.distanceBases[distanceIndex], bits: DeflateWriter.distanceExtraBits[distanceIndex])
            }
        }
        writeCode(literalLengthCodes[256], length: literalLengthLengths[256])
    }

    /// A fixed-Huffman block holding `tokens`.
    mutating func writeFixedBlock(_ tokens: [Token], isFinal: Bool = true) {
        write(isFinal ? 1 : 0, bits: 1)
        write(1, bits: 2)
        writeTokens(tokens, literalLengthLengths: DeflateWriter.fixedLiteralLengthLengths,
                    distanceLengths: DeflateWriter.fixedDistanceLengths)
    }

    /// A dynamic block header: counts, the code-length code, then `codeLengthSymbols` as (symbol, extra
    /// value) pairs encoded with it. Nothing is validated, so headers can be malformed on purpose.
    mutating func writeDynamicHeader(literalLengthCount: Int, distanceCount: Int, codeLengthCodeLengths: [Int],
                                     codeLengthSymbols: [(symbol: Int, extra: Int)], isFinal: Bool = true) {
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        write(isFinal ? 1 : 0, bits: 1)
        write(2, bits: 2)
        write(literalLengthCount - 257, bits: 5)
        write(distanceCount - 1, bits: 5)
        write(19 - 4, bits: 4)
        for symbol in order { write(codeLengthCodeLengths[symbol], bits: 3) }
        let codes = DeflateWriter.canonicalCodes(codeLengthCodeLengths)
        for (symbol, extra) in codeLengthSymbols {
            writeCode(codes[symbol], length: codeLengthCodeLengths[symbol])
            switch symbol {
            case 16: write(extra, bits: 2)
            case 17: write(extra, bits: 3)
            case 18: write(extra, bits: 7)
            default: break
            }
        }
    }

    /// A dynamic block using the given code lengths (each sent as a plain 4-bit code-length symbol).
    mutating func writeDynamicBlock(_ tokens: [Token], literalLengthLengths: [Int], distanceLengths: [Int],
                                    isFinal: Bool = true) {
        // Code-length symbols 0...15 all get 4-bit codes: a complete code, and no repeat symbols needed.
        let codeLengthCodeLengths = [Int](repeating: 4, count: 16) + [0, 0, 0]
        writeDynamicHeader(literalLengthCount: literalLengthLengths.count, distanceCount: distanceLengths.count,
                           codeLengthCodeLengths: codeLengthCodeLengths,
                           codeLengthSymbols: (literalLengthLengths + distanceLengths).map { ($0, 0) }, isFinal: isFinal)
        writeTokens(tokens, literalLengthLengths: literalLengthLengths, distanceLengths: distanceLengths)
    }

    /// A stored block holding `payload` (at most 65535 bytes).
    mutating func writeStoredBlock(_ payload: [UInt8], isFinal: Bool = true) {
        write(isFinal ? 1 : 0, bits: 1)
        write(0, bits: 2)
        alignToByte()
        write(payload.count, bits: 16)
        write(payload.count ^ 0xFFFF, bits: 16)
        for byte in payload { write(Int(byte), bits: 8) }
    }

    /// What decoding `tokens` must produce, computed directly from their definition.
    static func expansion(of tokens: [Token]) -> [UInt8] {
        var output: [UInt8] = []
        for token in tokens {
            switch token {
            case let .literal(byte): output.append(byte)
            case let .match(length, distance):
                for _ in 0..<length { output.append(output[output.count - distance]) }
            }
        }
        return output
    }
}
