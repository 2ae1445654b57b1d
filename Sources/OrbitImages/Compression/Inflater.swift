/// Decodes one DEFLATE stream (RFC 1951) from a byte buffer: block headers, stored blocks and the code
/// descriptions of dynamic blocks here, the literal/length/distance loop in `Inflater+Blocks.swift`.
///
/// Bits are read least-significant first through a 64-bit buffer. `position` is the next byte to load
/// and may run up to 8 bytes past the end: loads past the end supply zero bits, and `checkOverrun`
/// turns any use of those bits into `truncatedInput`, so malformed input never reads out of bounds.
/// Bits above `bitCount` in `bitBuffer` are either zero or the true next input bits, which is what lets
/// `refill` load a whole word and OR it in without masking (the technique of Fabian Giesen's
/// "Reading bits in far too many ways", 2018).
struct Inflater: ~Copyable {
    let input: UnsafeBufferPointer<UInt8>
    var position: Int
    var bitBuffer: UInt64 = 0
    var bitCount = 0
    var output: InflateOutput

    /// An inflater reading `input` from byte `start`; offsets in errors count from `input`'s start.
    init(input: UnsafeBufferPointer<UInt8>, start: Int, capacityHint: Int, limit: Int) {
        self.input = input
        position = start
        output = InflateOutput(capacityHint: capacityHint, limit: limit)
    }

    /// Decodes blocks until the one marked final; returns the offset of the first byte after the stream.
    mutating func inflate() throws(CompressionError) -> Int {
        var isFinal = false
        while !isFinal {
            refill()
            try checkOverrun()
            isFinal = take(1) == 1
            let type = take(2)
            switch type {
            case 0: try decodeStoredBlock()
            case 1:
                let fixed = FixedCodes.shared
                try decodeCompressedBlock(literalLength: fixed.literalLength, distance: fixed.distance)
            case 2:
                let (literalLength, distance) = try readDynamicCodes()
                try decodeCompressedBlock(literalLength: literalLength, distance: distance)
            default:
                throw failure(.invalidBlockType(type, byteOffset: consumedByteOffset))
            }
        }
        try output.checkLimit()
        alignToByte()
        try checkOverrun()
        return position - bitCount / 8
    }

    // MARK: Bits

    /// Tops the bit buffer up to at least 56 bits.
    @inline(__always)
    mutating func refill() {
        if position + 8 <= input.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(input.baseAddress! + position).loadUnaligned(as: UInt64.self))
            bitBuffer |= word &<< UInt64(bitCount)
            position += (63 - bitCount) >> 3
            bitCount |= 56
        } else {
            while bitCount <= 56 {
                let byte = position < input.count ? input[position] : 0
                bitBuffer |= UInt64(byte) &<< UInt64(bitCount)
                position += 1
                bitCount += 8
            }
        }
    }

    /// Removes and returns the next `count` bits (count <= 32, after a `refill`).
    @inline(__always)
    mutating func take(_ count: Int) -> Int {
        let value = Int(truncatingIfNeeded: bitBuffer & ((1 &<< UInt64(count)) &- 1))
        bitBuffer &>>= UInt64(count)
        bitCount -= count
        return value
    }

    /// Drops the bits up to the next byte boundary.
    mutating func alignToByte() {
        _ = take(bitCount & 7)
    }

    /// The offset of the byte holding the next unread bit (for error messages).
    var consumedByteOffset: Int { min(position - (bitCount + 7) / 8, input.count) }

    /// Throws `truncatedInput` if the bits consumed so far extend past the end of the input.
    @inline(__always)
    func checkOverrun() throws(CompressionError) {
        if position > input.count && (position - input.count) * 8 > bitCount {
            throw .truncatedInput(byteOffset: input.count)
        }
    }

    /// `error`, unless the real cause is that the input ran out, which takes precedence.
    func failure(_ error: CompressionError) -> CompressionError {
        if position > input.count && (position - input.count) * 8 > bitCount {
            return .truncatedInput(byteOffset: input.count)
        }
        return error
    }

    // MARK: Stored blocks (RFC 1951 §3.2.4)

    private mutating func decodeStoredBlock() throws(CompressionError) {
        alignToByte()
        try checkOverrun()
        // Continue byte-wise from the first unread byte; the bit buffer is refilled from there later.
        position -= bitCount / 8
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw .truncatedInput(byteOffset: input.count) }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == complement ^ 0xFFFF else {
            throw .storedLengthMismatch(length: length, complement: complement, byteOffset: position)
        }
        position += 4
        guard position + length <= input.count else { throw .truncatedInput(byteOffset: input.count) }
        try output.reserve(length)
        (output.pointer + output.count).update(from: input.baseAddress! + position, count: length)
        output.count += length
        position += length
    }

    // MARK: Dynamic code descriptions (RFC 1951 §3.2.7)

    /// Order in which the code-length code's lengths are stored.
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private mutating func readDynamicCodes() throws(CompressionError) -> (HuffmanTable, HuffmanTable) {
        refill()
        let literalLengthCount = take(5) + 257
        let distanceCount = take(5) + 1
        let codeLengthCount = take(4) + 4
        guard literalLengthCount <= 286, distanceCount <= 30 else {
            throw failure(.invalidCodeLengths("\(literalLengthCount) literal/length and \(distanceCount) distance codes; at most 286 and 30",
                                              byteOffset: consumedByteOffset))
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            refill()
            codeLengthLengths[Inflater.codeLengthOrder[index]] = UInt8(take(3))
        }
        try checkOverrun()
        let codeLengthCode = try HuffmanTable(
            codeLengths: codeLengthLengths[...], descriptors: HuffmanEntry.codeLengthDescriptors,
            maximumPrimaryBits: 7, allowsSingleCode: false, name: "code-length", byteOffset: consumedByteOffset)

        let total = literalLengthCount + distanceCount
        var lengths = [UInt8](repeating: 0, count: total)
        var index = 0
        while index < total {
            refill()
            let entry = codeLengthCode.entries[Int(bitBuffer & ((1 << UInt64(codeLengthCode.primaryBits)) - 1))]
            guard entry & HuffmanEntry.kindMask == HuffmanEntry.literal else {
                throw failure(.invalidSymbol(table: "code-length", byteOffset: consumedByteOffset))
            }
            _ = take(Int(entry & HuffmanEntry.lengthMask))
            let symbol = HuffmanEntry.value(entry)
            if symbol < 16 {
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            }
            let (value, repeatCount): (UInt8, Int)
            switch symbol {
            case 16:
                guard index > 0 else {
                    throw failure(.invalidCodeLengths("repeat of the previous length with no previous length",
                                                      byteOffset: consumedByteOffset))
                }
                (value, repeatCount) = (lengths[index - 1], 3 + take(2))
            case 17: (value, repeatCount) = (0, 3 + take(3))
            default: (value, repeatCount) = (0, 11 + take(7))
            }
            guard index + repeatCount <= total else {
                throw failure(.invalidCodeLengths("a repeat runs past the \(total) code lengths", byteOffset: consumedByteOffset))
            }
            for offset in 0..<repeatCount { lengths[index + offset] = value }
            index += repeatCount
        }
        try checkOverrun()
        guard lengths[256] > 0 else {
            throw .invalidCodeLengths("no code for end-of-block", byteOffset: consumedByteOffset)
        }
        let literalLength = try HuffmanTable(
            codeLengths: lengths[0..<literalLengthCount], descriptors: HuffmanEntry.literalLengthDescriptors,
            maximumPrimaryBits: 10, allowsSingleCode: true, name: "literal/length", byteOffset: consumedByteOffset)
        let distance = try HuffmanTable(
            codeLengths: lengths[literalLengthCount...], descriptors: HuffmanEntry.distanceDescriptors,
            maximumPrimaryBits: 8, allowsSingleCode: true, name: "distance", byteOffset: consumedByteOffset)
        return (literalLength, distance)
    }
}

/// The fixed literal/length and distance codes of block type 1 (RFC 1951 §3.2.6), built once.
struct FixedCodes: Sendable {
    let literalLength: HuffmanTable
    let distance: HuffmanTable

    static let shared: FixedCodes = {
        let literalLengths = [UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112)
            + [UInt8](repeating: 7, count: 24) + [UInt8](repeating: 8, count: 8)
        let distanceLengths = [UInt8](repeating: 5, count: 32)
        do {
            return FixedCodes(
                literalLength: try HuffmanTable(
                    codeLengths: literalLengths[...], descriptors: HuffmanEntry.literalLengthDescriptors,
                    maximumPrimaryBits: 10, allowsSingleCode: false, name: "fixed literal/length", byteOffset: 0),
                distance: try HuffmanTable(
                    codeLengths: distanceLengths[...], descriptors: HuffmanEntry.distanceDescriptors,
                    maximumPrimaryBits: 8, allowsSingleCode: false, name: "fixed distance", byteOffset: 0))
        } catch {
            fatalError("OrbitDatasets: the fixed Huffman codes of RFC 1951 are complete by definition: \(error)")
        }
    }()
}
