/// Compresses bytes into one raw DEFLATE stream (RFC 1951): LZ77 over a 32 KiB window (§4), the tokens
/// gathered into blocks of `blockTokenLimit` and each written as its cheapest type (`DeflateBlock`).
///
/// Matches are found through hash chains (the scheme of RFC 1951 §4 and zlib): `head` holds the latest
/// position of each hash of three bytes, `previous` links each position of the window to the one
/// before it with the same hash. The search walks at most `maximumChainLength` links, so compressing
/// costs a bounded amount of work per byte, and takes a match one byte late when that is longer (lazy
/// matching). Positions are absolute, since the whole input is in memory: a link is followed only while
/// its distance is within the window, and is read before the slot it lives in is reused.
enum Deflater {
    static let windowSize = 32_768
    static let minimumMatch = 3
    static let maximumMatch = 258
    static let hashBits = 15
    /// The most hash-chain links followed per search (a quarter of it once a good match is in hand).
    static let maximumChainLength = 64
    /// A match found one byte back at least this long is not worth a longer search.
    static let goodLength = 16
    /// Searching stops at a match this long.
    static let niceLength = 128
    /// A match at least this long is taken at once, without looking for a longer one a byte later.
    static let lazyLimit = 32
    /// A 3-byte match farther back than this costs more than three fixed-code literals (zlib's TOO_FAR).
    static let farThreeByteDistance = 4096
    /// Tokens per block: large enough to pay for a dynamic header, small enough to adapt to the data.
    static let blockTokenLimit = 1 << 15

    /// The raw DEFLATE stream of `input`.
    static func compress(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output = DeflateOutput(capacityHint: input.count / 4 + 64)
        var block = DeflateBlock(capacity: blockTokenLimit)
        var blockStart = 0
        let count = input.count
        func flush(isFinal: Bool) {
            let covered = block.inputCount   // read before `write` empties the block
            block.write(to: &output, raw: UnsafeBufferPointer(rebasing: input[blockStart..<(blockStart + covered)]),
                        isFinal: isFinal)
            blockStart += covered
        }
        guard let base = input.baseAddress, count > 0 else {
            flush(isFinal: true)
            output.alignToByte()
            return output.bytes
        }

        let head = UnsafeMutablePointer<Int32>.allocate(capacity: 1 << hashBits)
        let previous = UnsafeMutablePointer<Int32>.allocate(capacity: windowSize)
        head.initialize(repeating: -1, count: 1 << hashBits)
        previous.initialize(repeating: -1, count: windowSize)
        defer {
            head.deallocate()
            previous.deallocate()
        }
        @inline(__always) func hash(_ position: Int) -> Int {
            let bytes = UInt32(base[position]) | UInt32(base[position + 1]) << 8 | UInt32(base[position + 2]) << 16
            return Int((bytes &* 2_654_435_761) >> UInt32(32 - hashBits))
        }
        /// Links every position of `range` that has three bytes to hash into its chain.
        @inline(__always) func insert(_ range: Range<Int>) {
            for position in range.lowerBound..<max(range.lowerBound, min(range.upperBound, count - 2)) {
                let bucket = hash(position)
                previous[position & (windowSize - 1)] = head[bucket]
                head[bucket] = Int32(position)
            }
        }
        /// The longest match for `position` longer than `minimum` among the chain from `first`, or (0, 0).
        @inline(__always) func longestMatch(at position: Int, first: Int32, longerThan minimum: Int) -> (length: Int, distance: Int) {
            let limit = min(maximumMatch, count - position)
            guard limit > minimum else { return (0, 0) }
            var (bestLength, bestDistance) = (minimum, 0)
            var chain = minimum >= goodLength ? maximumChainLength / 4 : maximumChainLength
            var candidate = Int(first)
            let target = base + position
            while candidate >= 0 && position - candidate <= windowSize && chain > 0 {
                chain -= 1
                let source = base + candidate
                // The byte that would make this match the longest yet is the likeliest to differ.
                if source[bestLength] == target[bestLength] && source[0] == target[0] {
                    let length = commonPrefixLength(source, target, limit: limit)
                    if length > bestLength {
                        (bestLength, bestDistance) = (length, position - candidate)
                        if length >= niceLength || length == limit { break }
                    }
                }
                candidate = Int(previous[candidate & (windowSize - 1)])
            }
            if bestDistance == 0 || (bestLength == minimumMatch && bestDistance > farThreeByteDistance) { return (0, 0) }
            return (bestLength, bestDistance)
        }
        func flushIfFull() {
            if block.tokens.count >= blockTokenLimit { flush(isFinal: false) }
        }

        var position = 0
        // The match starting one byte back, held while the search at `position` may find a longer one.
        var (pendingLength, pendingDistance, hasPendingByte) = (0, 0, false)
        while position < count {
            var (length, distance) = (0, 0)
            if position + minimumMatch <= count {
                // Search before linking `position`, whose slot in `previous` may still hold a live link.
                let bucket = hash(position)
                (length, distance) = longestMatch(at: position, first: head[bucket], longerThan: max(pendingLength, minimumMatch - 1))
                previous[position & (windowSize - 1)] = head[bucket]
                head[bucket] = Int32(position)
            }
            if pendingLength >= minimumMatch && length <= pendingLength {
                block.appendMatch(length: pendingLength, distance: pendingDistance)
                insert((position + 1)..<(position - 1 + pendingLength))
                position += pendingLength - 1
                (pendingLength, hasPendingByte) = (0, false)
                flushIfFull()
                continue
            }
            if hasPendingByte {
                block.appendLiteral(base[position - 1])
                flushIfFull()
            }
            if length >= lazyLimit {
                block.appendMatch(length: length, distance: distance)
                insert((position + 1)..<(position + length))
                position += length
                (pendingLength, hasPendingByte) = (0, false)
                flushIfFull()
            } else {
                (pendingLength, pendingDistance, hasPendingByte) = (length, distance, true)
                position += 1
            }
        }
        if hasPendingByte { block.appendLiteral(base[count - 1]) }
        flush(isFinal: true)
        output.alignToByte()
        return output.bytes
    }

    /// How many leading bytes `first` and `second` share, up to `limit`, compared eight at a time.
    @inline(__always)
    private static func commonPrefixLength(_ first: UnsafePointer<UInt8>, _ second: UnsafePointer<UInt8>, limit: Int) -> Int {
        var length = 0
        while length + 8 <= limit {
            let difference = UnsafeRawPointer(first + length).loadUnaligned(as: UInt64.self)
                ^ UnsafeRawPointer(second + length).loadUnaligned(as: UInt64.self)
            if difference != 0 { return length + UInt64(littleEndian: difference).trailingZeroBitCount / 8 }
            length += 8
        }
        while length < limit && first[length] == second[length] { length += 1 }
        return length
    }
}
