#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a safetensors file could not be read or written.
///
/// Every case says which key (tensor name or metadata key) was wrong and how; framing errors, which
/// come before any key is known, name the header length or the file size instead. Byte offsets in
/// `malformedHeader` and `duplicateKey` count from the first byte of the JSON header.
public enum SafeTensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: Framing

    /// The input is shorter than the 8-byte header length.
    case fileTooShort(byteCount: Int)
    /// The declared header length is above `SafeTensors.Limits.maximumHeaderByteCount`.
    case headerTooLarge(headerByteCount: UInt64, limit: Int)
    /// The declared header length runs past the end of the input.
    case headerExceedsFile(headerByteCount: UInt64, availableByteCount: Int)

    // MARK: The JSON header

    /// The header is not one well-formed JSON object (syntax, UTF-8, nesting depth).
    case malformedHeader(byteOffset: Int, reason: String)
    /// The same key appears twice in one JSON object (at any depth).
    case duplicateKey(String, byteOffset: Int)
    /// A tensor entry is not an object with exactly `dtype`, `shape` and `data_offsets` of the right types.
    case invalidEntry(name: String, reason: String)
    /// The dtype string is not one Orbit can read.
    case unsupportedDType(name: String, dtype: String)
    /// A shape entry is negative, not an integer, or the element count overflows.
    case invalidShape(name: String, reason: String)
    /// `data_offsets` is not two non-negative integers with begin <= end.
    case invalidDataOffsets(name: String, reason: String)
    /// The offsets span a different number of bytes than the shape and dtype need.
    case byteCountMismatch(name: String, dtype: String, shape: [Int], expected: Int, actual: Int)
    /// A tensor's data does not start where the previous one (in offset order) ended: overlap or gap.
    case nonContiguousData(name: String, begin: Int, expectedBegin: Int)
    /// The tensors cover a different number of bytes than the data buffer holds.
    case dataSizeMismatch(coveredByteCount: Int, dataByteCount: Int)
    /// `__metadata__` is not an object, or one of its values is not a string.
    case invalidMetadata(key: String, reason: String)
    /// A BOOL element is a byte other than 0 or 1.
    case invalidBool(name: String, index: Int, byte: UInt8)

    // MARK: Writing

    /// Two tensors to write have the same name.
    case duplicateName(String)
    /// A tensor to write is named `__metadata__`, the key reserved for metadata.
    case reservedName(String)

    // MARK: Files

    /// A system call failed; `errorNumber` is the `errno` it left.
    case fileSystem(operation: String, path: String, errorNumber: Int32)

    public var description: String {
        "safetensors: " + explanation
    }

    private var explanation: String {
        switch self {
        case .fileTooShort(let byteCount):
            "header length: the input has \(byteCount) bytes, fewer than the 8-byte header length"
        case .headerTooLarge(let headerByteCount, let limit):
            "header length: \(headerByteCount) bytes is above the limit of \(limit) bytes"
        case .headerExceedsFile(let headerByteCount, let availableByteCount):
            "header length: \(headerByteCount) bytes, but only \(availableByteCount) bytes follow the length"
        case .malformedHeader(let byteOffset, let reason):
            "header JSON at byte \(byteOffset): \(reason)"
        case .duplicateKey(let key, let byteOffset):
            "key \(quoted(key)) at header byte \(byteOffset) appears twice in the same object"
        case .invalidEntry(let name, let reason):
            "tensor \(quoted(name)): \(reason)"
        case .unsupportedDType(let name, let dtype):
            "tensor \(quoted(name)): dtype \(quoted(dtype)) is not supported (readable: "
                + SafeTensorsElementType.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        case .invalidShape(let name, let reason):
            "tensor \(quoted(name)): shape \(reason)"
        case .invalidDataOffsets(let name, let reason):
            "tensor \(quoted(name)): data_offsets \(reason)"
        case .byteCountMismatch(let name, let dtype, let shape, let expected, let actual):
            "tensor \(quoted(name)): data_offsets span \(actual) bytes, but \(dtype) of shape \(shape) needs \(expected)"
        case .nonContiguousData(let name, let begin, let expectedBegin):
            begin < expectedBegin
                ? "tensor \(quoted(name)): data begins at \(begin), overlapping the previous tensor, which ends at \(expectedBegin)"
                : "tensor \(quoted(name)): data begins at \(begin), leaving a gap after the previous tensor, which ends at \(expectedBegin)"
        case .dataSizeMismatch(let coveredByteCount, let dataByteCount):
            "data buffer: the tensors cover \(coveredByteCount) bytes, but the data buffer after the header holds \(dataByteCount)"
        case .invalidMetadata(let key, let reason):
            "metadata \(quoted(key)): \(reason)"
        case .invalidBool(let name, let index, let byte):
            "tensor \(quoted(name)): BOOL element \(index) is the byte \(byte), not 0 or 1"
        case .duplicateName(let name):
            "tensor \(quoted(name)): the name is given twice"
        case .reservedName(let name):
            "tensor \(quoted(name)): the name is reserved for the metadata object"
        case .fileSystem(let operation, let path, let errorNumber):
            "\(operation) \(quoted(path)): \(String(cString: strerror(errorNumber))) (errno \(errorNumber))"
        }
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { $0.escaped(asASCII: false) }.joined() + "\""
    }
}
