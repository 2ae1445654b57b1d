import OrbitImages

extension ClipArchive {
    /// Reads the archive in `bytes` (the layout of `ClipArchive`), checking every field, then the CRC-32.
    ///
    /// Structure is checked before the checksum, so a truncated file reports where it ends rather than
    /// a checksum mismatch; a damaged byte that leaves the structure valid is caught by the checksum.
    public init(decoding bytes: [UInt8]) throws(ClipArchiveError) {
        var reader = ByteReader(bytes: bytes)
        guard bytes.count >= ClipArchive.magic.count, Array(bytes[0..<ClipArchive.magic.count]) == ClipArchive.magic else {
            throw .notAClipArchive
        }
        reader.offset = ClipArchive.magic.count
        let version = try reader.uint32("the header")
        guard version == ClipArchive.version else { throw .unsupportedVersion(version) }
        let height = Int(try reader.uint32("the header")), width = Int(try reader.uint32("the header"))
        let classCount = Int(try reader.uint32("the header")), clipCount = Int(try reader.uint32("the header"))
        guard (1...ClipArchive.maximumFrameSide).contains(height), (1...ClipArchive.maximumFrameSide).contains(width) else {
            throw .invalidHeader("frame size \(height)x\(width) is outside 1...\(ClipArchive.maximumFrameSide)")
        }
        guard classCount >= 1 else { throw .invalidHeader("the archive declares no classes") }
        var classNames: [String] = []
        for index in 0..<classCount {
            // Each name takes at least two bytes, so a huge corrupt count fails here, not in an allocation.
            classNames.append(try reader.text("the name of class \(index)"))
        }
        var clips: [Clip] = []
        for index in 0..<clipCount {
            let section = "clip \(index)"
            let label = Int(try reader.uint32(section)), subject = Int(try reader.uint32(section))
            let frameCount = Int(try reader.uint32(section))
            guard label < classCount else { throw .labelOutOfRange(clip: index, label: label, classCount: classCount) }
            guard frameCount >= 1 else { throw .emptyClip(clip: index) }
            let name = try reader.text("the name of \(section)")
            let pixels = try reader.bytes(frameCount * height * width, "the frames of \(section)")
            clips.append(Clip(label: label, subject: subject, name: name, frameCount: frameCount, pixels: pixels))
        }
        let checksumOffset = reader.offset
        let stored = try reader.uint32("the checksum")
        let computed = bytes.withUnsafeBytes { buffer in
            var crc = CRC32()
            crc.update(UnsafeRawBufferPointer(rebasing: buffer[0..<checksumOffset]))
            return crc.value
        }
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
        guard reader.offset == bytes.count else { throw .trailingBytes(count: bytes.count - reader.offset) }
        self.init(height: height, width: width, classNames: classNames, clips: clips)
    }
}

/// Little-endian fields read from the front of a byte array, each check naming its section.
private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func bytes(_ count: Int, _ section: String) throws(ClipArchiveError) -> [UInt8] {
        guard count <= bytes.count - offset else {
            throw .truncated(section: section, offset: offset, needed: count, available: bytes.count - offset)
        }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func uint32(_ section: String) throws(ClipArchiveError) -> UInt32 {
        try bytes(4, section).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func text(_ section: String) throws(ClipArchiveError) -> String {
        let length = try bytes(2, section)
        let utf8 = try bytes(Int(length[0]) | Int(length[1]) << 8, section)
        guard let text = String(validating: utf8, as: UTF8.self) else { throw .invalidText(section: section) }
        return text
    }
}
