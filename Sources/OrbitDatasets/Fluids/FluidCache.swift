import Foundation
import Orbit

/// Simulated sequences kept on disk, one safetensors file per configuration, so a second run does not
/// simulate again.
///
/// The key is a configuration's canonical description (`SmokeScene.description`,
/// `SmokePlumeTask.description`: every field at full precision, with a format version). A file is named
/// `<prefix>-<16 hex digits>.safetensors`, the FNV-1a 64-bit hash of that description; it holds one float32
/// tensor `"frames"` `[T, C, H, W]` and the full description in the metadata under `"configuration"`, which
/// is compared on reading, so a hash collision or a stale file is computed again rather than returned.
/// Files are written atomically (`SafeTensors.write`: temporary file, fsync, rename), so an interrupted
/// run never leaves a half-written entry.
public struct FluidCache: Sendable {
    /// Where the files live (created on first store).
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The file that holds (or will hold) the sequence described by `description`.
    public func url(for description: String, prefix: String = "field") -> URL {
        directory.appendingPathComponent("\(prefix)-\(FluidCache.hexHash(description)).safetensors")
    }

    /// The cached sequence for `description`, or nil when there is none or the file holds another
    /// configuration. A file that exists but cannot be read throws.
    public func cachedSequence(for description: String) throws -> FieldSequence? {
        let url = url(for: description)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file = try SafeTensors.read(from: url)
        guard file.metadata["configuration"] == description, let tensor = file["frames"],
              tensor.rank == 4, tensor.dtype == .float32 else { return nil }
        return FieldSequence(tensor)
    }

    /// Stores `sequence` under `description`, replacing any previous file atomically.
    public func store(_ sequence: FieldSequence, for description: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SafeTensors.write([("frames", sequence.tensor)], metadata: ["configuration": description],
                              to: url(for: description))
    }

    /// The cached sequence for `description`, computing and storing it first when there is none.
    public func sequence(for description: String, compute: () throws -> FieldSequence) throws -> FieldSequence {
        if let cached = try cachedSequence(for: description) { return cached }
        let sequence = try compute()
        try store(sequence, for: description)
        return sequence
    }

    /// FNV-1a, 64 bits, as 16 lower-case hex digits: stable across runs and machines (Swift's `Hasher`
    /// is seeded per process, so it cannot name files).
    static func hexHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
