/// Why a DEFLATE (RFC 1951) or gzip (RFC 1952) stream could not be decoded.
///
/// Byte offsets count from the start of the buffer handed to `Deflate.inflate` or `Gzip.decompress`,
/// so a message points at the place in the file where decoding stopped.
public enum CompressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended while more bits were needed; `byteOffset` is the first missing byte.
    case truncatedInput(byteOffset: Int)
    /// A block header named the reserved block type 3.
    case invalidBlockType(Int, byteOffset: Int)
    /// A stored block's LEN and NLEN fields are not one's complements of each other.
    case storedLengthMismatch(length: Int, complement: Int, byteOffset: Int)
    /// A dynamic block's code-length description is inconsistent (`reason` says how).
    case invalidCodeLengths(String, byteOffset: Int)
    /// More codes of some length than a prefix code can hold (`table` names the code).
    case oversubscribedCode(table: String, byteOffset: Int)
    /// A prefix code that leaves codes unused where RFC 1951 requires a complete one.
    case incompleteCode(table: String, byteOffset: Int)
    /// The stream used a code that the block's prefix code does not define, or symbol 286/287 or 30/31.
    case invalidSymbol(table: String, byteOffset: Int)
    /// A back-reference pointed before the start of the output.
    case distanceTooFarBack(distance: Int, available: Int, byteOffset: Int)
    /// The output would exceed the caller's limit.
    case outputTooLarge(limit: Int)
    /// The gzip magic number 1f 8b is missing.
    case badMagic(byteOffset: Int)
    /// The gzip compression method is not 8 (deflate).
    case unsupportedMethod(Int, byteOffset: Int)
    /// A reserved gzip flag bit (5, 6 or 7) is set.
    case reservedFlags(UInt8, byteOffset: Int)
    /// The optional 16-bit header CRC (FHCRC) does not match the header.
    case headerCRCMismatch(stored: UInt16, computed: UInt16)
    /// The CRC-32 in a gzip member's trailer does not match the decompressed data.
    case crcMismatch(stored: UInt32, computed: UInt32)
    /// The ISIZE field (output size modulo 2^32) does not match the decompressed size.
    case sizeMismatch(stored: UInt32, actual: Int)

    public var description: String {
        switch self {
        case let .truncatedInput(offset):
            "truncated input at byte \(offset)"
        case let .invalidBlockType(type, offset):
            "invalid block type \(type) at byte \(offset)"
        case let .storedLengthMismatch(length, complement, offset):
            "stored block length \(length) does not match its complement \(complement) at byte \(offset)"
        case let .invalidCodeLengths(reason, offset):
            "invalid code lengths (\(reason)) at byte \(offset)"
        case let .oversubscribedCode(table, offset):
            "over-subscribed \(table) Huffman code at byte \(offset)"
        case let .incompleteCode(table, offset):
            "incomplete \(table) Huffman code at byte \(offset)"
        case let .invalidSymbol(table, offset):
            "invalid \(table) code at byte \(offset)"
        case let .distanceTooFarBack(distance, available, offset):
            "distance too far back: \(distance) with only \(available) bytes of output, at byte \(offset)"
        case let .outputTooLarge(limit):
            "output exceeds the limit of \(limit) bytes"
        case let .badMagic(offset):
            "bad gzip magic at byte \(offset) (expected 1f 8b)"
        case let .unsupportedMethod(method, offset):
            "unsupported gzip compression method \(method) at byte \(offset) (only 8, deflate)"
        case let .reservedFlags(flags, offset):
            "reserved gzip flag bits set in 0x\(String(flags, radix: 16)) at byte \(offset)"
        case let .headerCRCMismatch(stored, computed):
            "header CRC mismatch: stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16))"
        case let .crcMismatch(stored, computed):
            "CRC mismatch: stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16))"
        case let .sizeMismatch(stored, actual):
            "ISIZE mismatch: stored \(stored), decompressed \(actual) bytes (\(UInt32(truncatingIfNeeded: actual)) modulo 2^32)"
        }
    }
}
