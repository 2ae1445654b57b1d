/// The growing output of the deflater: bits packed least-significant first into bytes (RFC 1951 §3.1.1).
///
/// Fields (block headers, extra bits) go in as they are; Huffman codes, which DEFLATE sends most
/// significant bit first, are stored bit-reversed by `HuffmanCode` so that they go in the same way.
/// Up to 31 pending bits wait in a 64-bit buffer and leave four bytes at a time.
struct DeflateOutput {
    private(set) var bytes: [UInt8] = []
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0

    init(capacityHint: Int) {
        bytes.reserveCapacity(capacityHint)
    }

    /// Appends the low `count` bits of `value` (count <= 32), least significant first.
    @inline(__always)
    mutating func write(_ value: Int, bits count: Int) {
        bitBuffer |= (UInt64(truncatingIfNeeded: value) & ((1 &<< UInt64(count)) &- 1)) &<< UInt64(bitCount)
        bitCount += count
        if bitCount >= 32 {
            let word = UInt32(truncatingIfNeeded: bitBuffer)
            bytes.append(UInt8(truncatingIfNeeded: word))
            bytes.append(UInt8(truncatingIfNeeded: word >> 8))
            bytes.append(UInt8(truncatingIfNeeded: word >> 16))
            bytes.append(UInt8(truncatingIfNeeded: word >> 24))
            bitBuffer >>= 32
            bitCount -= 32
        }
    }

    /// Pads with zero bits to the next byte boundary and flushes every pending byte.
    mutating func alignToByte() {
        while bitCount > 0 {
            bytes.append(UInt8(truncatingIfNeeded: bitBuffer))
            bitBuffer >>= 8
            bitCount = max(bitCount - 8, 0)
        }
        bitBuffer = 0
    }

    /// Appends whole bytes; the output must be at a byte boundary (after `alignToByte`).
    mutating func append(_ raw: UnsafeBufferPointer<UInt8>) {
        guard bitCount == 0 else { fatalError("DeflateOutput: raw bytes must start at a byte boundary") }
        bytes.append(contentsOf: raw)
    }
}
