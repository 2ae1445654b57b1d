/// A prefix code for writing DEFLATE symbols: each symbol's code length and its canonical code
/// (RFC 1951 §3.2.2), stored bit-reversed so `DeflateOutput.write` sends it most significant bit first.
///
/// Codes are either the fixed ones of block type 1 (§3.2.6) or built from symbol frequencies as
/// Huffman codes no longer than a given length (15 bits for literal/length and distance codes, 7 for
/// the code-length code, §3.2.7). The decoding side is `HuffmanTable`.
struct HuffmanCode {
    /// The code length of each symbol; 0 for a symbol without a code.
    let lengths: [UInt8]
    /// The code of each symbol, bit-reversed (meaningless where the length is 0).
    let codes: [UInt16]

    /// The canonical code with these lengths (every length at most 15).
    init(lengths: [UInt8]) {
        var countPerLength = [Int](repeating: 0, count: 16)
        for length in lengths where length > 0 { countPerLength[Int(length)] += 1 }
        var nextCode = HuffmanTable.firstCodes(lengthCounts: countPerLength)
        var codes = [UInt16](repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            codes[symbol] = UInt16(HuffmanTable.reverse(nextCode[Int(length)], bitCount: Int(length)))
            nextCode[Int(length)] += 1
        }
        self.lengths = lengths
        self.codes = codes
    }

    /// A Huffman code for `frequencies` with no code longer than `maximumLength`.
    ///
    /// At least two symbols always get a code (symbols 0 and 1 are given a count if needed), so every
    /// code is complete and has codes of at least one bit, which every inflater accepts (zlib does the
    /// same). When the optimal code is too deep, the counts are halved (rounding up, so none drops to 0)
    /// and the code is rebuilt: each halving flattens the tree, and all-equal counts give a balanced
    /// one of depth ceil(log2(symbols)), so this ends.
    init(frequencies: [Int], maximumLength: Int) {
        var counts = frequencies
        var usedCount = counts.filter { $0 > 0 }.count
        for symbol in 0..<2 where usedCount < 2 && counts[symbol] == 0 {
            counts[symbol] = 1
            usedCount += 1
        }
        while true {
            let depths = HuffmanCode.depths(counts)
            if depths.max()! <= maximumLength {
                self.init(lengths: depths.map { UInt8($0) })
                return
            }
            counts = counts.map { ($0 + 1) / 2 }
        }
    }

    /// Optimal code lengths (tree depths) for `counts`, 0 for symbols with count 0; two or more must be
    /// positive. Leaves sorted by count and internal nodes, which are created in non-decreasing weight,
    /// form two queues, so the two lightest nodes are always at their fronts (van Leeuwen's method).
    private static func depths(_ counts: [Int]) -> [Int] {
        let leaves = counts.indices.filter { counts[$0] > 0 }.sorted { (counts[$0], $0) < (counts[$1], $1) }
        let leafCount = leaves.count
        var weight = leaves.map { counts[$0] } + [Int](repeating: 0, count: leafCount - 1)
        var parent = [Int](repeating: 0, count: 2 * leafCount - 1)
        var nextLeaf = 0, nextInternal = leafCount, created = leafCount
        func takeLightest() -> Int {
            if nextLeaf < leafCount && (nextInternal == created || weight[nextLeaf] <= weight[nextInternal]) {
                nextLeaf += 1
                return nextLeaf - 1
            }
            nextInternal += 1
            return nextInternal - 1
        }
        for _ in 0..<(leafCount - 1) {
            let first = takeLightest(), second = takeLightest()
            weight[created] = weight[first] + weight[second]
            parent[first] = created
            parent[second] = created
            created += 1
        }
        // Every parent comes after its children, so one backward pass from the root sets all depths.
        var depth = [Int](repeating: 0, count: 2 * leafCount - 1)
        for node in stride(from: 2 * leafCount - 3, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }
        var result = [Int](repeating: 0, count: counts.count)
        for (index, symbol) in leaves.enumerated() { result[symbol] = depth[index] }
        return result
    }

    /// The fixed literal/length code of block type 1 (RFC 1951 §3.2.6), symbols 0...287.
    static let fixedLiteralLength = HuffmanCode(lengths: [UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112)
        + [UInt8](repeating: 7, count: 24) + [UInt8](repeating: 8, count: 8))
    /// The fixed distance code of block type 1: five bits for each of the 30 distance symbols.
    static let fixedDistance = HuffmanCode(lengths: [UInt8](repeating: 5, count: 30))
}
