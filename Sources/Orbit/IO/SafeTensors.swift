import Foundation

/// Tensors and string metadata as stored in one safetensors file.
public struct SafeTensorsFile: Sendable {
    /// Named tensors in file order: the order of their data in the file, which for files written by
    /// Orbit is the order they were given in.
    public var tensors: [(name: String, tensor: Tensor)]
    /// The `__metadata__` object (empty when the file has none).
    public var metadata: [String: String]

    /// A file's contents: named tensors (names must be unique to be written) and string metadata.
    public init(tensors: [(name: String, tensor: Tensor)] = [], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor called `name`, if any (a linear search).
    public subscript(name: String) -> Tensor? {
        tensors.first { $0.name == name }?.tensor
    }

    /// The tensor names in file order.
    public var names: [String] { tensors.map(\.name) }
}

/// Reads and writes the safetensors format, the tensor interchange format of PyTorch and Hugging Face.
///
/// A file is three parts:
///
///     bytes 0..<8        N, the header length: an unsigned 64-bit little-endian integer
///     bytes 8..<8+N      the header: UTF-8 JSON, one object, optionally padded with trailing spaces
///     bytes 8+N..<end    the data buffer: every tensor's elements, little-endian, row-major
///
/// The header maps each tensor name to
/// `{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}`, where `begin..<end` is the
/// tensor's byte range counted from the start of the data buffer; the reserved key `"__metadata__"`
/// may hold an object of string values. Example header for one 2x2 float32 tensor:
/// `{"__metadata__":{"step":"10"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}`.
///
/// Reading treats the input as untrusted and checks everything before it allocates or copies: the
/// header length against `Limits` and the input size, the JSON with a strict parser (no duplicate
/// keys at any depth), each entry's dtype, shape and offsets (with overflow-checked arithmetic), and
/// that the tensors tile the data buffer exactly, without overlap or gap, up to the last byte.
/// Element types are listed in `SafeTensorsElementType`: F32, F64, I64 and BOOL are read as they are;
/// F16 and BF16 become float32, and 8-, 16- and 32-bit integers become int64, all exactly.
///
/// Writing emits F32, F64, I64 and BOOL; tensors are stored in the order given, metadata keys sorted,
/// and the header is padded with spaces so the data buffer starts at a multiple of 8 bytes. `write`
/// replaces the destination atomically. The official Python `safetensors` package reads these files.
///
/// ```swift
/// try SafeTensors.write([("weight", w), ("step", Tensor(Int64(100)))], metadata: ["epoch": "3"], to: url)
/// let file = try SafeTensors.read(from: url)      // file["weight"], file.metadata["epoch"]
/// ```
public enum SafeTensors {
    /// The header key reserved for string metadata.
    public static let metadataKey = "__metadata__"

    /// Bounds on what the reader accepts, checked before any allocation that depends on them.
    public struct Limits: Sendable {
        /// The largest header length accepted, in bytes (the reference implementation uses 100 MB).
        public var maximumHeaderByteCount: Int
        /// The deepest nesting of JSON objects and arrays (a valid header needs 3).
        public var maximumNestingDepth: Int

        /// Limits for files from a source you trust more, or less, than the defaults assume.
        public init(maximumHeaderByteCount: Int = 100_000_000, maximumNestingDepth: Int = 64) {
            self.maximumHeaderByteCount = maximumHeaderByteCount
            self.maximumNestingDepth = maximumNestingDepth
        }

        /// 100 MB of header, nesting depth 64.
        public static let `default` = Limits()
    }

    // MARK: Bytes

    /// The bytes of a safetensors file holding `tensors` (in this order) and `metadata`.
    ///
    /// Throws `SafeTensorsError.duplicateName` or `.reservedName` for names that cannot be written.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)],
                              metadata: [String: String] = [:]) throws(SafeTensorsError) -> [UInt8] {
        let encoder = try SafeTensorsEncoder(tensors, metadata: metadata)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoder.fileByteCount)
        encoder.forEachChunk { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Reads the tensors and metadata of a safetensors file held in memory.
    public static func decode(_ bytes: [UInt8], limits: Limits = .default) throws(SafeTensorsError) -> SafeTensorsFile {
        // `withUnsafeBytes` rethrows untyped errors; carry the typed error out through a Result.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(SafeTensorsError) in try decode(buffer, limits: limits) }
        }
        return try result.get()
    }

    /// Reads the tensors and metadata of a safetensors file held in memory. The tensors are copies:
    /// `buffer` may be released when this returns.
    public static func decode(_ buffer: UnsafeRawBufferPointer,
                              limits: Limits = .default) throws(SafeTensorsError) -> SafeTensorsFile {
        try SafeTensorsDecoder.decode(buffer, limits: limits)
    }

    // MARK: Files

    /// Writes `tensors` and `metadata` to `url`, atomically: a temporary file in the same directory is
    /// written, `fsync`ed and renamed over `url`, so after a crash at any point the file at `url` is
    /// either the previous one or the complete new one. Data is streamed in 1 MiB pieces.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:],
                             to url: URL) throws(SafeTensorsError) {
        try write(tensors, metadata: metadata, to: url, observer: nil)
    }

    /// `write`, with a hook called at each step of the atomic replacement (tests simulate crashes there).
    static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String],
                      to url: URL, observer: ((AtomicFile.Step) -> Void)?) throws(SafeTensorsError) {
        let encoder = try SafeTensorsEncoder(tensors, metadata: metadata)
        try AtomicFile.replace(url, observer: observer) { (file: AtomicFile.Output) throws(SafeTensorsError) in
            try encoder.forEachChunk { (chunk) throws(SafeTensorsError) in try file.write(chunk) }
        }
    }

    /// Reads a safetensors file. The file is mapped into memory, checked, and its tensors copied out.
    public static func read(from url: URL, limits: Limits = .default) throws(SafeTensorsError) -> SafeTensorsFile {
        try AtomicFile.withMappedContents(of: url) { (buffer: UnsafeRawBufferPointer) throws(SafeTensorsError) in
            try decode(buffer, limits: limits)
        }
    }
}
