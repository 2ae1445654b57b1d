/// The codes of a dynamic-Huffman block (RFC 1951 §3.2.7), built from a block's symbol counts, and the
/// header that describes them to the inflater.
///
/// The header lists the code lengths of HLIT literal/length and HDIST distance symbols as one sequence,
/// run-length encoded with symbols 16 (repeat the previous length 3-6 times), 17 (3-10 zeros) and 18
/// (11-138 zeros); those code-length symbols are themselves Huffman coded, and the lengths of that
/// code are sent first, 3 bits each, in the order of `codeLengthOrder`.
struct DeflateDynamicCodes {
    /// The order in which the code-length code's lengths are sent.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    let literalLength: HuffmanCode
    let distance: HuffmanCode
    private let codeLength: HuffmanCode
    /// HLIT + 257 and HDIST + 1: the symbols whose lengths are sent.
    private let literalLengthCount: Int
    private let distanceCount: Int
    /// HCLEN + 4: how many code-length code lengths are sent.
    private let codeLengthCount: Int
    /// The run-length encoded lengths: a code-length symbol 0...18 and the value of its extra bits.
    private let runs: [(symbol: Int, extra: Int)]
    /// The size of the header after BFINAL and BTYPE.
    let headerBitCount: Int

    /// Codes for counts of the literal/length symbols 0...285 (end of block included) and the distance
    /// symbols 0...29.
    init(literalLengthCounts: [Int], distanceCounts: [Int]) {
        let literalLength = HuffmanCode(frequencies: literalLengthCounts, maximumLength: 15)
        let distance = HuffmanCode(frequencies: distanceCounts, maximumLength: 15)
        let literalLengthCount = max(257, (literalLength.lengths.lastIndex { $0 > 0 } ?? 0) + 1)
        let distanceCount = max(1, (distance.lengths.lastIndex { $0 > 0 } ?? 0) + 1)
        let runs = DeflateDynamicCodes.runLengthEncoded(
            Array(literalLength.lengths[..<literalLengthCount] + distance.lengths[..<distanceCount]))
        var codeLengthCounts = [Int](repeating: 0, count: 19)
        for run in runs { codeLengthCounts[run.symbol] += 1 }
        let codeLength = HuffmanCode(frequencies: codeLengthCounts, maximumLength: 7)
        let lastSent = DeflateDynamicCodes.codeLengthOrder.lastIndex { codeLength.lengths[$0] > 0 } ?? 0
        var bits = 5 + 5 + 4 + 3 * max(4, lastSent + 1)
        for run in runs { bits += Int(codeLength.lengths[run.symbol]) + DeflateDynamicCodes.extraBits(run.symbol) }
        (self.literalLength, self.distance, self.codeLength) = (literalLength, distance, codeLength)
        (self.literalLengthCount, self.distanceCount, codeLengthCount) = (literalLengthCount, distanceCount, max(4, lastSent + 1))
        self.runs = runs
        headerBitCount = bits
    }

    /// Writes HLIT, HDIST, HCLEN, the code-length code lengths and the run-length encoded lengths.
    func writeHeader(to output: inout DeflateOutput) {
        output.write(literalLengthCount - 257, bits: 5)
        output.write(distanceCount - 1, bits: 5)
        output.write(codeLengthCount - 4, bits: 4)
        for symbol in DeflateDynamicCodes.codeLengthOrder[..<codeLengthCount] {
            output.write(Int(codeLength.lengths[symbol]), bits: 3)
        }
        for run in runs {
            output.write(Int(codeLength.codes[run.symbol]), bits: Int(codeLength.lengths[run.symbol]))
            output.write(run.extra, bits: DeflateDynamicCodes.extraBits(run.symbol))
        }
    }

    private static func extraBits(_ symbol: Int) -> Int {
        switch symbol {
        case 16: 2
        case 17: 3
        case 18: 7
        default: 0
        }
    }

    /// `lengths` as code-length symbols: runs of zeros as 17 or 18, other runs as the length once and
    /// then 16 for up to six repeats at a time; runs too short to gain are sent as plain lengths.
    private static func runLengthEncoded(_ lengths: [UInt8]) -> [(symbol: Int, extra: Int)] {
        var runs: [(symbol: Int, extra: Int)] = []
        var start = 0
        while start < lengths.count {
            let value = Int(lengths[start])
            var end = start + 1
            while end < lengths.count && lengths[end] == lengths[start] { end += 1 }
            var remaining = end - start
            if value == 0 {
                while remaining >= 11 {
                    let repeats = min(remaining, 138)
                    runs.append((18, repeats - 11))
                    remaining -= repeats
                }
                if remaining >= 3 {
                    runs.append((17, remaining - 3))
                    remaining = 0
                }
            } else {
                runs.append((value, 0))
                remaining -= 1
                while remaining >= 3 {
                    let repeats = min(remaining, 6)
                    runs.append((16, repeats - 3))
                    remaining -= repeats
                }
            }
            runs += [(symbol: Int, extra: Int)](repeating: (value, 0), count: remaining)
            start = end
        }
        return runs
    }
}
