/// A canonical prefix code (RFC 1951 §3.2.2) as a two-level lookup table indexed by the next input bits.
///
/// DEFLATE packs prefix codes most-significant bit first into a least-significant-bit-first stream, so the
/// table is indexed by the *bit-reversed* code: the low `primaryBits` bits of the bit buffer select a
/// primary entry directly (one lookup for every code up to `primaryBits` long); longer codes share a
/// primary entry per prefix that links to a sub-table indexed by the following bits, as zlib's
/// `inflate_table` does. Ten primary bits cover nearly all literal/length codes of real data in one lookup
/// while keeping the table (4 KB) cheap to rebuild for every dynamic block.
///
/// An entry is a `UInt32`: bits 0-4 the number of bits the code occupies (for a link: the sub-table's index
/// width), bits 5-7 the `HuffmanEntry` kind, bits 8-11 the count of extra bits that follow the code, bits
/// 16-31 the value (a literal byte or symbol, a length or distance base, a sub-table offset).
struct HuffmanTable {
    /// Primary entries followed by the sub-tables.
    let entries: [UInt32]
    /// Index width of the primary table.
    let primaryBits: Int

    /// Builds the table for `codeLengths[symbol]` (0 = symbol unused).
    ///
    /// - Parameters:
    ///   - descriptors: for each symbol, its kind, extra-bit count and value, pre-shifted into place.
    ///   - maximumPrimaryBits: the primary table's index width when codes are at least that long.
    ///   - allowsSingleCode: a code with one symbol of length 1 (incomplete) is accepted, as RFC 1951 §3.2.7
    ///     allows for a distance code with one distance; zlib accepts it for literal/length codes too.
    ///   - name: the code's name in error messages.
    ///   - byteOffset: where the code's description ended, for error messages.
    init(codeLengths: ArraySlice<UInt8>, descriptors: [UInt32], maximumPrimaryBits: Int,
         allowsSingleCode: Bool, name: String, byteOffset: Int) throws(CompressionError) {
        var lengthCounts = [Int](repeating: 0, count: 16)
        for length in codeLengths { lengthCounts[Int(length)] += 1 }
        lengthCounts[0] = 0
        let longest = lengthCounts.lastIndex { $0 > 0 } ?? 0

        // Kraft check: `unused` is the number of free codes of the current length.
        var unused = 1
        for length in 1...15 {
            unused = unused * 2 - lengthCounts[length]
            if unused < 0 { throw .oversubscribedCode(table: name, byteOffset: byteOffset) }
        }
        let isComplete = unused == 0
        if !isComplete && longest > 0 && !(allowsSingleCode && longest == 1) {
            throw .incompleteCode(table: name, byteOffset: byteOffset)
        }

        let primaryBits = max(1, min(maximumPrimaryBits, longest))
        self.primaryBits = primaryBits
        let primarySize = 1 << primaryBits
        var nextCode = HuffmanTable.firstCodes(lengthCounts: lengthCounts)

        // Each symbol's reversed code, then the widest code behind every primary prefix.
        var reversedCodes = [Int](repeating: 0, count: codeLengths.count)
        var subtableBits = [Int](repeating: 0, count: primarySize)
        for (symbol, lengthByte) in codeLengths.enumerated() where lengthByte > 0 {
            let length = Int(lengthByte)
            let reversed = HuffmanTable.reverse(nextCode[length], bitCount: length)
            nextCode[length] += 1
            reversedCodes[symbol] = reversed
            if length > primaryBits {
                let prefix = reversed & (primarySize - 1)
                subtableBits[prefix] = max(subtableBits[prefix], length - primaryBits)
            }
        }
        var subtableOffsets = [Int](repeating: 0, count: primarySize)
        var size = primarySize
        for prefix in 0..<primarySize where subtableBits[prefix] > 0 {
            subtableOffsets[prefix] = size
            size += 1 << subtableBits[prefix]
        }

        var entries = [UInt32](repeating: HuffmanEntry.invalid, count: size)
        for prefix in 0..<primarySize where subtableBits[prefix] > 0 {
            entries[prefix] = HuffmanEntry.link | UInt32(subtableBits[prefix]) | UInt32(subtableOffsets[prefix]) << 16
        }
        for (symbol, lengthByte) in codeLengths.enumerated() where lengthByte > 0 {
            let length = Int(lengthByte)
            let entry = descriptors[symbol] | UInt32(length)
            let reversed = reversedCodes[symbol]
            if length <= primaryBits {
                var index = reversed
                while index < primarySize {
                    entries[index] = entry
                    index += 1 << length
                }
            } else {
                let prefix = reversed & (primarySize - 1)
                let subtableSize = 1 << subtableBits[prefix]
                var index = reversed >> primaryBits
                while index < subtableSize {
                    entries[subtableOffsets[prefix] + index] = entry
                    index += 1 << (length - primaryBits)
                }
            }
        }
        self.entries = entries
    }

    /// The first canonical code of each length 1...15 (RFC 1951 §3.2.2, step 2), from the number of codes
    /// of each length (`lengthCounts[0]` must be 0). Shared by the decoder's tables and the encoder's codes.
    static func firstCodes(lengthCounts: [Int]) -> [Int] {
        var firstCodes = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + lengthCounts[length - 1]) << 1
            firstCodes[length] = code
        }
        return firstCodes
    }

    /// The low `bitCount` bits of `code` in reverse order.
    static func reverse(_ code: Int, bitCount: Int) -> Int {
        var result = 0, code = code
        for _ in 0..<bitCount {
            result = result << 1 | code & 1
            code >>= 1
        }
        return result
    }
}

/// Field layout and kinds of a `HuffmanTable` entry.
enum HuffmanEntry {
    static let lengthMask: UInt32 = 0x1F
    static let kindMask: UInt32 = 0xE0
    /// A literal byte, or a plain symbol (code-length alphabet), in the value field.
    static let literal: UInt32 = 0 << 5
    /// A length or distance: value = base, bits 8-11 = extra bits to add.
    static let baseAndExtra: UInt32 = 1 << 5
    /// Symbol 256.
    static let endOfBlock: UInt32 = 2 << 5
    /// A primary entry pointing to a sub-table.
    static let link: UInt32 = 3 << 5
    /// No code maps here (incomplete code) or the symbol is reserved (286, 287, 30, 31).
    static let invalid: UInt32 = 4 << 5

    static func extraBits(_ entry: UInt32) -> Int { Int((entry >> 8) & 0xF) }
    static func value(_ entry: UInt32) -> Int { Int(entry >> 16) }

    static func descriptor(kind: UInt32, extraBits: Int = 0, value: Int) -> UInt32 {
        kind | UInt32(extraBits) << 8 | UInt32(value) << 16
    }

    /// Literal/length alphabet (RFC 1951 §3.2.5): 0-255 literals, 256 end of block, 257-285 lengths,
    /// 286-287 reserved.
    static let literalLengthDescriptors: [UInt32] = {
        let bases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                     35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        let extra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        var descriptors = (0..<256).map { descriptor(kind: literal, value: $0) }
        descriptors.append(descriptor(kind: endOfBlock, value: 0))
        for (base, extraBits) in zip(bases, extra) {
            descriptors.append(descriptor(kind: baseAndExtra, extraBits: extraBits, value: base))
        }
        descriptors += [invalid, invalid]
        return descriptors
    }()

    /// Distance alphabet (RFC 1951 §3.2.5): 0-29 distances 1...32768, 30-31 reserved.
    static let distanceDescriptors: [UInt32] = {
        var descriptors: [UInt32] = []
        var base = 1
        for symbol in 0..<30 {
            let extraBits = max(0, symbol / 2 - 1)
            descriptors.append(descriptor(kind: baseAndExtra, extraBits: extraBits, value: base))
            base += 1 << extraBits
        }
        return descriptors + [invalid, invalid]
    }()

    /// Code-length alphabet (RFC 1951 §3.2.7): symbols 0-18 as themselves.
    static let codeLengthDescriptors: [UInt32] = (0..<19).map { descriptor(kind: literal, value: $0) }
}
