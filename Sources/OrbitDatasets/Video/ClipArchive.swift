import Foundation
import Orbit
import OrbitImages

/// Grayscale video clips with class labels and subject ids in one binary file: the on-disk format of
/// the moving-frames classification data (KTH converted as `Docs/MovingFrames.md` describes).
///
/// Layout, all integers little-endian (version 1):
/// ```
/// magic "ORBCLIPS" (8 bytes) | version u32 = 1 | height u32 | width u32 | class count u32 | clip count u32
/// class count times: name length u16 | name (UTF-8)
/// clip count times:  label u32 | subject u32 | frame count u32 | name length u16 | name (UTF-8)
///                    | frame count * height * width bytes (frame-major, rows top to bottom; 0 black, 255 white)
/// CRC-32 u32 of every byte before it (the gzip/PNG CRC, see `CRC32`)
/// ```
/// Reading validates every field and throws a `ClipArchiveError` (wrapped in `DatasetError.corruptFile`
/// for files) on a bad magic or version, a truncated section, a label out of range, an empty clip,
/// a checksum mismatch or trailing bytes.
public struct ClipArchive: Sendable, Equatable {
    /// One clip: consecutive frames of one video, with what it shows and who is in it.
    public struct Clip: Sendable, Equatable {
        /// The class index, 0 ..< `classNames.count`.
        public var label: Int
        /// Who is filmed (KTH: the person, 1...25); datasets split by it.
        public var subject: Int
        /// Where the clip comes from (KTH: "person01_boxing_d1 1-95"); may be empty.
        public var name: String
        /// T, the number of frames.
        public var frameCount: Int
        /// `frameCount * height * width` grey levels, frame-major then row-major.
        public var pixels: [UInt8]

        public init(label: Int, subject: Int, name: String = "", frameCount: Int, pixels: [UInt8]) {
            self.label = label
            self.subject = subject
            self.name = name
            self.frameCount = frameCount
            self.pixels = pixels
        }
    }

    /// The 8 bytes every archive starts with.
    public static let magic: [UInt8] = Array("ORBCLIPS".utf8)
    /// The format version this code writes and reads.
    public static let version: UInt32 = 1
    /// The largest frame side the reader accepts (a sanity bound against corrupt headers).
    public static let maximumFrameSide = 4096

    /// H, rows of every frame.
    public let height: Int
    /// W, columns of every frame.
    public let width: Int
    /// One name per class; a clip's label indexes it.
    public let classNames: [String]
    /// The clips, in file order.
    public let clips: [Clip]

    /// An archive of `clips` of `height x width` frames; stops the program if a clip does not fit
    /// (label out of range, no frames, wrong pixel count, subject or name outside the format's range).
    public init(height: Int, width: Int, classNames: [String], clips: [Clip]) {
        requireArgument((1...ClipArchive.maximumFrameSide).contains(height) && (1...ClipArchive.maximumFrameSide).contains(width),
                        "ClipArchive", "frame size \(height)x\(width) must lie in 1...\(ClipArchive.maximumFrameSide)")
        requireArgument(!classNames.isEmpty && classNames.allSatisfy({ $0.utf8.count <= Int(UInt16.max) }), "ClipArchive",
                        "need at least one class, each name under 64 KiB, got \(classNames.count)")
        for (index, clip) in clips.enumerated() {
            requireArgument(clip.label >= 0 && clip.label < classNames.count, "ClipArchive",
                            "clip \(index) has label \(clip.label) for \(classNames.count) classes")
            requireArgument(clip.frameCount >= 1 && clip.pixels.count == clip.frameCount * height * width, "ClipArchive",
                            "clip \(index) has \(clip.pixels.count) pixels for \(clip.frameCount) frames of \(height)x\(width)")
            requireArgument(UInt32(exactly: clip.subject) != nil && clip.name.utf8.count <= Int(UInt16.max), "ClipArchive",
                            "clip \(index): subject \(clip.subject) must fit in 32 bits, the name in 64 KiB")
        }
        self.height = height
        self.width = width
        self.classNames = classNames
        self.clips = clips
    }

    /// Reads an archive file; throws `DatasetError.unreadableFile` or `.corruptFile` (with the
    /// `ClipArchiveError` as the reason).
    public init(contentsOf url: URL) throws(DatasetError) {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        do {
            try self.init(decoding: bytes)
        } catch {
            throw .corruptFile(path: url.path, reason: error.description)
        }
    }

    /// The archive as bytes, in the layout above.
    public func encoded() -> [UInt8] {
        var bytes = ClipArchive.magic
        bytes.reserveCapacity(64 + clips.reduce(0) { $0 + 16 + $1.name.utf8.count + $1.pixels.count })
        for value in [Int(ClipArchive.version), height, width, classNames.count, clips.count] { appendUInt32(value, to: &bytes) }
        for name in classNames { appendText(name, to: &bytes) }
        for clip in clips {
            for value in [clip.label, clip.subject, clip.frameCount] { appendUInt32(value, to: &bytes) }
            appendText(clip.name, to: &bytes)
            bytes += clip.pixels
        }
        appendUInt32(Int(CRC32.checksum(bytes)), to: &bytes)
        return bytes
    }

    /// Writes `encoded()` to `url`, replacing the file atomically; throws Foundation's error (which
    /// names the path) when it cannot.
    public func write(to url: URL) throws {
        try Data(encoded()).write(to: url, options: .atomic)
    }

    private func appendUInt32(_ value: Int, to bytes: inout [UInt8]) {
        let word = UInt32(truncatingIfNeeded: value)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
    }

    private func appendText(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = Array(text.utf8)
        bytes += [UInt8(utf8.count & 0xFF), UInt8(utf8.count >> 8)]
        bytes += utf8
    }
}
