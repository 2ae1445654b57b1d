/// Why bytes could not be read as a `ClipArchive`. Every case names what was wrong and where.
public enum ClipArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not start with the 8 bytes `ORBCLIPS`.
    case notAClipArchive
    /// A format version this reader does not know.
    case unsupportedVersion(UInt32)
    /// A header field outside its range (zero or huge frame size, no classes, ...).
    case invalidHeader(String)
    /// The data ends inside `section`, which needs `needed` bytes at byte `offset` where `available` remain.
    case truncated(section: String, offset: Int, needed: Int, available: Int)
    /// A class or clip name that is not valid UTF-8.
    case invalidText(section: String)
    /// A clip's label is not below the number of classes.
    case labelOutOfRange(clip: Int, label: Int, classCount: Int)
    /// A clip with zero frames.
    case emptyClip(clip: Int)
    /// The CRC-32 after the last clip does not match the bytes before it: the data was damaged.
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// Bytes after the checksum.
    case trailingBytes(count: Int)

    public var description: String {
        switch self {
        case .notAClipArchive:
            "not a clip archive: the file must start with the 8 bytes \"ORBCLIPS\""
        case let .unsupportedVersion(version):
            "clip archive version \(version) is not supported (this reader knows version \(ClipArchive.version))"
        case let .invalidHeader(message):
            "invalid clip archive header: \(message)"
        case let .truncated(section, offset, needed, available):
            "clip archive truncated in \(section): \(needed) bytes needed at byte \(offset), \(available) left"
        case let .invalidText(section):
            "\(section) is not valid UTF-8"
        case let .labelOutOfRange(clip, label, classCount):
            "clip \(clip) has label \(label), but the archive has \(classCount) classes"
        case let .emptyClip(clip):
            "clip \(clip) has no frames"
        case let .checksumMismatch(stored, computed):
            "clip archive checksum mismatch: stored CRC-32 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16))"
        case let .trailingBytes(count):
            "\(count) unexpected bytes after the clip archive's checksum"
        }
    }
}
