/// Raw DEFLATE compression and decompression (RFC 1951), the format inside gzip, zlib, zip and PNG.
///
/// ```swift
/// let compressed = Deflate.deflate(bytes)
/// let bytes = try Deflate.inflate(compressed)   // throws CompressionError on malformed input
/// ```
/// Inflating supports all three block types (stored, fixed and dynamic Huffman), with every length and
/// distance code and overlapping back-references. Malformed input throws a `CompressionError` naming the
/// problem and the byte where it was found; it never traps or reads outside the input.
///
/// Deflating (`Deflater`) finds LZ77 matches through bounded hash chains with lazy matching and writes
/// each block as stored, fixed or dynamic Huffman, whichever is smallest; incompressible input grows by
/// about 5 bytes per 32 KiB.
public enum Deflate {
    /// The default cap on decompressed size (1 GiB): large enough for any dataset file Orbit reads,
    /// small enough that a hostile stream (DEFLATE expands up to ~1032:1) cannot exhaust memory.
    public static let defaultMaximumOutputSize = 1 << 30

    /// The raw DEFLATE stream of `bytes`: blocks ending in one marked final, padded to a byte boundary.
    /// Empty input gives a single fixed-Huffman block holding only the end-of-block code.
    public static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { Deflater.compress($0) }
    }

    /// Decompresses one raw DEFLATE stream; bytes after its final block are ignored.
    ///
    /// - Parameter maximumOutputSize: decoding throws `CompressionError.outputTooLarge` past this size.
    public static func inflate(_ compressed: [UInt8],
                               maximumOutputSize: Int = defaultMaximumOutputSize) throws(CompressionError) -> [UInt8] {
        var result: Result<[UInt8], CompressionError> = .success([])
        compressed.withUnsafeBufferPointer { buffer in
            result = Result { () throws(CompressionError) in
                try inflate(buffer, from: 0, capacityHint: 4 * buffer.count, maximumOutputSize: maximumOutputSize).bytes
            }
        }
        return try result.get()
    }

    /// Decompresses the stream that starts at `buffer[start]`.
    ///
    /// - Returns: the bytes and the offset of the first byte after the stream (its final block is padded
    ///   to a byte boundary).
    static func inflate(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, capacityHint: Int,
                        maximumOutputSize: Int) throws(CompressionError) -> (bytes: [UInt8], end: Int) {
        var inflater = Inflater(input: buffer, start: start, capacityHint: capacityHint, limit: maximumOutputSize)
        let end = try inflater.inflate()
        return (inflater.output.array(), end)
    }
}
