/// One DEFLATE block being assembled: the LZ77 output as tokens, with symbol counts kept as they
/// arrive, then written as whichever block type (RFC 1951 §3.2.3) comes out smallest: stored (§3.2.4),
/// fixed Huffman (§3.2.6) or dynamic Huffman (§3.2.7).
///
/// A token is a literal byte (a value below 256) or a match `length << 16 | distance`; every match
/// length is at least 3, so the two never collide.
struct DeflateBlock {
    private(set) var tokens: [UInt32] = []
    /// How many input bytes the tokens stand for.
    private(set) var inputCount = 0
    private var literalLengthCounts = [Int](repeating: 0, count: 286)
    private var distanceCounts = [Int](repeating: 0, count: 30)
    /// The extra bits of all lengths and distances, which every compressed block type sends alike.
    private var extraBitCount = 0

    init(capacity: Int) {
        tokens.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func appendLiteral(_ byte: UInt8) {
        tokens.append(UInt32(byte))
        literalLengthCounts[Int(byte)] += 1
        inputCount += 1
    }

    /// Appends a back-reference: `length` in 3...258, `distance` in 1...32768.
    @inline(__always)
    mutating func appendMatch(length: Int, distance: Int) {
        tokens.append(UInt32(length << 16 | distance))
        let lengthCode = DeflateBlock.lengthCode(length), distanceCode = DeflateBlock.distanceCode(distance)
        literalLengthCounts[lengthCode.symbol] += 1
        distanceCounts[distanceCode.symbol] += 1
        extraBitCount += lengthCode.extraBits + distanceCode.extraBits
        inputCount += length
    }

    /// Writes the block, with `raw` the `inputCount` input bytes it covers, and empties it.
    mutating func write(to output: inout DeflateOutput, raw: UnsafeBufferPointer<UInt8>, isFinal: Bool) {
        guard raw.count == inputCount else {
            fatalError("DeflateBlock: \(raw.count) raw bytes given for tokens covering \(inputCount)")
        }
        literalLengthCounts[256] += 1   // the end-of-block symbol
        let dynamic = DeflateDynamicCodes(literalLengthCounts: literalLengthCounts, distanceCounts: distanceCounts)
        let fixedBits = 3 + extraBitCount + cost(HuffmanCode.fixedLiteralLength, HuffmanCode.fixedDistance)
        let dynamicBits = 3 + extraBitCount + dynamic.headerBitCount + cost(dynamic.literalLength, dynamic.distance)
        let storedChunks = max(1, (inputCount + 65_534) / 65_535)
        let storedBits = storedChunks * 40 + 8 * inputCount   // header, padding (at most 7 bits), LEN, NLEN

        if storedBits < min(fixedBits, dynamicBits) {
            writeStored(raw, to: &output, isFinal: isFinal)
        } else if dynamicBits < fixedBits {
            output.write(isFinal ? 1 : 0, bits: 1)
            output.write(2, bits: 2)
            dynamic.writeHeader(to: &output)
            writeTokens(dynamic.literalLength, dynamic.distance, to: &output)
        } else {
            output.write(isFinal ? 1 : 0, bits: 1)
            output.write(1, bits: 2)
            writeTokens(HuffmanCode.fixedLiteralLength, HuffmanCode.fixedDistance, to: &output)
        }
        tokens.removeAll(keepingCapacity: true)
        inputCount = 0
        extraBitCount = 0
        for index in literalLengthCounts.indices { literalLengthCounts[index] = 0 }
        for index in distanceCounts.indices { distanceCounts[index] = 0 }
    }

    /// Bits of all symbols (end of block included) under the given codes, extra bits excluded.
    private func cost(_ literalLength: HuffmanCode, _ distance: HuffmanCode) -> Int {
        var bits = 0
        for (symbol, count) in literalLengthCounts.enumerated() { bits += count * Int(literalLength.lengths[symbol]) }
        for (symbol, count) in distanceCounts.enumerated() { bits += count * Int(distance.lengths[symbol]) }
        return bits
    }

    private func writeTokens(_ literalLength: HuffmanCode, _ distance: HuffmanCode, to output: inout DeflateOutput) {
        for token in tokens {
            if token < 256 {
                output.write(Int(literalLength.codes[Int(token)]), bits: Int(literalLength.lengths[Int(token)]))
                continue
            }
            let lengthCode = DeflateBlock.lengthCode(Int(token >> 16))
            let lengthBits = Int(literalLength.lengths[lengthCode.symbol])
            output.write(Int(literalLength.codes[lengthCode.symbol]) | lengthCode.extra << lengthBits,
                         bits: lengthBits + lengthCode.extraBits)
            let distanceCode = DeflateBlock.distanceCode(Int(token & 0xFFFF))
            let distanceBits = Int(distance.lengths[distanceCode.symbol])
            output.write(Int(distance.codes[distanceCode.symbol]) | distanceCode.extra << distanceBits,
                         bits: distanceBits + distanceCode.extraBits)
        }
        output.write(Int(literalLength.codes[256]), bits: Int(literalLength.lengths[256]))
    }

    /// Stored blocks of at most 65,535 bytes each (an empty one for empty input), the last marked final
    /// if `isFinal`.
    private func writeStored(_ raw: UnsafeBufferPointer<UInt8>, to output: inout DeflateOutput, isFinal: Bool) {
        var start = 0
        repeat {
            let end = min(start + 65_535, raw.count)
            output.write(isFinal && end == raw.count ? 1 : 0, bits: 1)
            output.write(0, bits: 2)
            output.alignToByte()
            output.write(end - start, bits: 16)
            output.write(~(end - start) & 0xFFFF, bits: 16)
            output.append(UnsafeBufferPointer(rebasing: raw[start..<end]))
            start = end
        } while start < raw.count
    }

    // MARK: Symbols (RFC 1951 §3.2.5)

    /// The literal/length symbol (257...285) of a match length 3...258, with its extra bits.
    @inline(__always)
    static func lengthCode(_ length: Int) -> (symbol: Int, extraBits: Int, extra: Int) {
        let offset = length - 3
        if offset < 8 { return (257 + offset, 0, 0) }
        if length == 258 { return (285, 0, 0) }
        // Past the first eight, each group of four symbols covers twice the range of the one before.
        let topBit = Int.bitWidth - 1 - offset.leadingZeroBitCount
        let extraBits = topBit - 2
        return (257 + 4 * (topBit - 1) + (offset >> extraBits) & 3, extraBits, offset & ((1 << extraBits) - 1))
    }

    /// The distance symbol (0...29) of a distance 1...32768, with its extra bits.
    @inline(__always)
    static func distanceCode(_ distance: Int) -> (symbol: Int, extraBits: Int, extra: Int) {
        let offset = distance - 1
        if offset < 4 { return (offset, 0, 0) }
        // Past the first four, each pair of symbols covers twice the range of the pair before.
        let topBit = Int.bitWidth - 1 - offset.leadingZeroBitCount
        let extraBits = topBit - 1
        return (2 * topBit + (offset >> extraBits) & 1, extraBits, offset & ((1 << extraBits) - 1))
    }
}
