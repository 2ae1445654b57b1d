/// The header of a gzip member (RFC 1952 §2.3): fixed fields and the optional extra field, file name,
/// comment and header CRC.
public struct GzipHeader: Equatable, Sendable {
    /// Modification time of the original file, seconds since 1970-01-01 UTC (0: none recorded).
    public var modificationTime: UInt32
    /// XFL: 2 = maximum compression, 4 = fastest, as the compressor declared.
    public var extraFlags: UInt8
    /// The operating system the file was compressed on (0 FAT, 3 Unix, 255 unknown, ...).
    public var operatingSystem: UInt8
    /// FTEXT: the compressor guessed the contents are text.
    public var isText: Bool
    /// The FEXTRA subfields, undecoded.
    public var extraField: [UInt8]?
    /// FNAME: the original file name (ISO 8859-1 in the file).
    public var fileName: String?
    /// FCOMMENT: a free-form comment (ISO 8859-1 in the file).
    public var comment: String?

    private enum Flag {
        static let text: UInt8 = 1 << 0
        static let headerCRC: UInt8 = 1 << 1
        static let extra: UInt8 = 1 << 2
        static let name: UInt8 = 1 << 3
        static let comment: UInt8 = 1 << 4
        static let reserved: UInt8 = 0xE0
    }

    /// Reads the header of the member starting at `buffer[start]`; returns it and the offset of the
    /// member's DEFLATE data.
    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, at start: Int) throws(CompressionError) -> (GzipHeader, Int) {
        func require(_ byteCount: Int, at offset: Int) throws(CompressionError) {
            if offset + byteCount > buffer.count { throw .truncatedInput(byteOffset: buffer.count) }
        }
        // The magic is checked byte by byte, so trailing garbage is reported as such even when short.
        for (offset, magic) in [(0, 0x1F), (1, 0x8B)] as [(Int, UInt8)] {
            try require(offset + 1, at: start)
            guard buffer[start + offset] == magic else { throw .badMagic(byteOffset: start) }
        }
        try require(10, at: start)
        guard buffer[start + 2] == 8 else { throw .unsupportedMethod(Int(buffer[start + 2]), byteOffset: start + 2) }
        let flags = buffer[start + 3]
        guard flags & Flag.reserved == 0 else { throw .reservedFlags(flags, byteOffset: start + 3) }
        var header = GzipHeader(
            modificationTime: Gzip.readLittleEndian32(buffer, at: start + 4), extraFlags: buffer[start + 8],
            operatingSystem: buffer[start + 9], isText: flags & Flag.text != 0)
        var position = start + 10

        if flags & Flag.extra != 0 {
            try require(2, at: position)
            let length = Int(buffer[position]) | Int(buffer[position + 1]) << 8
            try require(2 + length, at: position)
            header.extraField = Array(buffer[(position + 2)..<(position + 2 + length)])
            position += 2 + length
        }
        /// A zero-terminated ISO 8859-1 string; every byte is the Unicode scalar of the same value.
        func readString() throws(CompressionError) -> String {
            var end = position
            while end < buffer.count && buffer[end] != 0 { end += 1 }
            try require(1, at: end)
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: buffer[position..<end].map { Unicode.Scalar($0) })
            position = end + 1
            return String(scalars)
        }
        if flags & Flag.name != 0 { header.fileName = try readString() }
        if flags & Flag.comment != 0 { header.comment = try readString() }
        if flags & Flag.headerCRC != 0 {
            try require(2, at: position)
            let stored = UInt16(buffer[position]) | UInt16(buffer[position + 1]) << 8
            var crc = CRC32()
            crc.update(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[start..<position])))
            let computed = UInt16(truncatingIfNeeded: crc.value)
            guard stored == computed else { throw .headerCRCMismatch(stored: stored, computed: computed) }
            position += 2
        }
        return (header, position)
    }

    /// A header with the given fixed fields and no optional fields.
    public init(modificationTime: UInt32 = 0, extraFlags: UInt8 = 0, operatingSystem: UInt8 = 255, isText: Bool = false,
                extraField: [UInt8]? = nil, fileName: String? = nil, comment: String? = nil) {
        self.modificationTime = modificationTime
        self.extraFlags = extraFlags
        self.operatingSystem = operatingSystem
        self.isText = isText
        self.extraField = extraField
        self.fileName = fileName
        self.comment = comment
    }
}
