/// The gzip file format (RFC 1952): one or more members, each a header, a DEFLATE stream and a trailer
/// holding the CRC-32 and the size (modulo 2^32) of the member's decompressed data.
///
/// ```swift
/// let idx = try Gzip.decompress(Array(try Data(contentsOf: url)))
/// ```
/// Every member's CRC-32 and ISIZE are verified, and so is the optional header CRC (FHCRC). Members
/// concatenated in one file (`cat a.gz b.gz`) decompress to the concatenation of their contents, as
/// `gunzip` does. Anything after the last member that is not another member is an error.
public enum Gzip {
    /// The decompressed contents of every member, concatenated.
    ///
    /// - Parameter maximumOutputSize: the cap on the total decompressed size.
    public static func decompress(_ compressed: [UInt8],
                                  maximumOutputSize: Int = Deflate.defaultMaximumOutputSize) throws(CompressionError) -> [UInt8] {
        let members = try members(compressed, maximumOutputSize: maximumOutputSize)
        return members.count == 1 ? members[0].contents : members.flatMap(\.contents)
    }

    /// Each member's header and decompressed contents, in file order.
    public static func members(_ compressed: [UInt8],
                               maximumOutputSize: Int = Deflate.defaultMaximumOutputSize) throws(CompressionError) -> [GzipMember] {
        var result: Result<[GzipMember], CompressionError> = .success([])
        compressed.withUnsafeBufferPointer { buffer in
            result = Result { () throws(CompressionError) in
                try members(buffer, maximumOutputSize: maximumOutputSize)
            }
        }
        return try result.get()
    }

    private static func members(_ buffer: UnsafeBufferPointer<UInt8>,
                                maximumOutputSize: Int) throws(CompressionError) -> [GzipMember] {
        guard !buffer.isEmpty else { throw .truncatedInput(byteOffset: 0) }
        var members: [GzipMember] = []
        var position = 0
        var produced = 0
        while position < buffer.count {
            let (header, dataStart) = try GzipHeader.parse(buffer, at: position)
            // The last four bytes of the file are the last member's ISIZE: exact for a single-member file,
            // and only a hint otherwise, so bound it by the densest possible DEFLATE expansion (~1032:1).
            let remaining = maximumOutputSize - produced
            let lastSize = buffer.count - 4 >= dataStart ? Int(readLittleEndian32(buffer, at: buffer.count - 4)) : 0
            let hint = min(lastSize, remaining, (buffer.count - dataStart) * 1032)
            let (contents, end): ([UInt8], Int)
            do {
                (contents, end) = try Deflate.inflate(buffer, from: dataStart, capacityHint: hint, maximumOutputSize: remaining)
            } catch .outputTooLarge {
                throw .outputTooLarge(limit: maximumOutputSize)   // the caller's limit, not what was left of it
            }
            guard end + 8 <= buffer.count else { throw .truncatedInput(byteOffset: buffer.count) }
            let storedCRC = readLittleEndian32(buffer, at: end)
            let computedCRC = CRC32.checksum(contents)
            guard storedCRC == computedCRC else { throw .crcMismatch(stored: storedCRC, computed: computedCRC) }
            let storedSize = readLittleEndian32(buffer, at: end + 4)
            guard storedSize == UInt32(truncatingIfNeeded: contents.count) else {
                throw .sizeMismatch(stored: storedSize, actual: contents.count)
            }
            members.append(GzipMember(header: header, contents: contents))
            produced += contents.count
            position = end + 8
        }
        return members
    }

    /// The little-endian 32-bit value at `offset` (the caller has checked that four bytes are there).
    static func readLittleEndian32(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { value, index in value | UInt32(buffer[offset + index]) << (8 * index) }
    }
}

/// One member of a gzip file: its header fields and decompressed contents.
public struct GzipMember: Sendable {
    /// The member's header.
    public let header: GzipHeader
    /// The decompressed data (CRC-32 and size already verified).
    public let contents: [UInt8]
}
