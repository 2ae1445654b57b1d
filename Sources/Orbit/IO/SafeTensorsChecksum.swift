import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SafeTensors {
    /// A 64-bit FNV-1a hash of `tensors` exactly as a safetensors file stores them (names, dtypes, shapes,
    /// offsets and every data byte, little-endian), metadata excluded, as 16 hex digits.
    ///
    /// A writer puts it in the metadata; a reader recomputes it from the tensors it decoded and compares,
    /// so a flipped byte anywhere in the data (or a renamed or reshaped tensor) is detected:
    ///
    /// ```swift
    /// let sum = try SafeTensors.checksum(tensors)
    /// try SafeTensors.write(tensors, metadata: ["checksum": sum], to: url)
    /// let file = try SafeTensors.read(from: url)
    /// assert(try SafeTensors.checksum(file.tensors) == file.metadata["checksum"])
    /// ```
    public static func checksum(_ tensors: [(name: String, tensor: Tensor)]) throws(SafeTensorsError) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        try SafeTensorsEncoder(tensors, metadata: [:]).forEachChunk { (chunk: UnsafeRawBufferPointer) in
            for byte in chunk { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Deletes the temporary files that an interrupted atomic write of `url` left beside it
    /// (`.<name>.<pid>.<random>.tmp`, see `write(_:metadata:to:)`), except those of processes still
    /// running (another writer may be mid-write). Returns the paths removed.
    @discardableResult
    public static func removeStaleTemporaryFiles(of url: URL) -> [String] {
        let directory = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let fields = name.dropFirst(prefix.count).dropLast(4).split(separator: ".")
            guard fields.count == 2, let pid = Int32(fields[0]), UInt64(fields[1]) != nil else { continue }
            let running = pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM)
            let path = directory.appendingPathComponent(name).path
            if !running, unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }
}
