/// The growing output of the inflater: raw memory, so the decoding loop writes without bounds checks.
///
/// Invariant kept by `reserve`: `capacity - count >= slack` before every symbol is decoded, so a literal,
/// a match of at most 258 bytes and the up-to-7-byte overshoot of the word-at-a-time copy all fit. The
/// capacity never exceeds `limit + slack`, which bounds memory on hostile input.
struct InflateOutput: ~Copyable {
    /// Room a single decoded symbol may need: the longest match (258) plus one overshooting word.
    static let slack = 258 + 8

    private(set) var pointer: UnsafeMutablePointer<UInt8>
    var count = 0
    private(set) var capacity: Int
    /// The caller's maximum output size.
    let limit: Int

    init(capacityHint: Int, limit: Int) {
        capacity = min(max(capacityHint, 1 << 12), limit) + InflateOutput.slack
        pointer = .allocate(capacity: capacity)
        self.limit = limit
    }

    deinit { pointer.deallocate() }

    /// Makes room for `byteCount` more bytes plus `slack`, or throws if that would pass the limit.
    mutating func reserve(_ byteCount: Int) throws(CompressionError) {
        let needed = count + byteCount + InflateOutput.slack
        guard needed > capacity else { return }
        if count + byteCount > limit { throw .outputTooLarge(limit: limit) }
        let newCapacity = min(max(needed, capacity * 2), limit + InflateOutput.slack)
        let newPointer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newPointer.update(from: pointer, count: count)
        pointer.deallocate()
        pointer = newPointer
        capacity = newCapacity
    }

    /// Throws when the output has already passed the limit (matches may overshoot it by up to `slack`).
    func checkLimit() throws(CompressionError) {
        if count > limit { throw .outputTooLarge(limit: limit) }
    }

    /// The bytes written, as an array.
    func array() -> [UInt8] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
