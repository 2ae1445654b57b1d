/// Why bytes could not be read as an IDX array.
public enum IDXError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the header needs.
    case tooShort(byteCount: Int, needed: Int)
    /// The magic number does not start with two zero bytes.
    case badMagic(UInt8, UInt8)
    /// A data type other than 0x08 (unsigned byte), the byte at offset 2.
    case unsupportedDataType(UInt8)
    /// A dimension count (the byte at offset 3) other than the one the caller expects, e.g. 3 for labels.
    case unexpectedRank(found: UInt8, expected: Int)
    /// A dimension count of zero.
    case noDimensions
    /// More than 255 dimensions, a dimension outside 0...2^32-1, or a product that overflows `Int`.
    case sizeOverflow(dimensions: [Int])
    /// The data after the header is not exactly the product of the dimensions.
    case dataLengthMismatch(expected: Int, actual: Int, dimensions: [Int])

    public var description: String {
        switch self {
        case let .tooShort(byteCount, needed):
            "IDX data too short: \(byteCount) bytes, the header needs \(needed)"
        case let .badMagic(first, second):
            "bad IDX magic: the first two bytes must be zero, found 0x\(String(first, radix: 16)) 0x\(String(second, radix: 16))"
        case let .unsupportedDataType(type):
            "IDX type byte \(IDXError.hex(type)) at offset 2 (\(IDXError.typeName(type))); expected 0x08 (unsigned byte), the only type supported"
        case let .unexpectedRank(found, expected):
            "IDX dimension-count byte \(IDXError.hex(found)) at offset 3 (magic 0x000008\(IDXError.hex(found).dropFirst(2)), "
                + "\(found) dimensions); expected \(IDXError.hex(UInt8(truncatingIfNeeded: expected))) (magic 0x000008"
                + "\(IDXError.hex(UInt8(truncatingIfNeeded: expected)).dropFirst(2)), \(expected) dimension\(expected == 1 ? "" : "s"))"
        case .noDimensions:
            "IDX header declares zero dimensions"
        case let .sizeOverflow(dimensions):
            "IDX dimensions \(dimensions) do not fit the format or overflow the element count"
        case let .dataLengthMismatch(expected, actual, dimensions):
            "IDX data length \(actual) does not match dimensions \(dimensions) (\(expected) elements)"
        }
    }

    /// A byte as `0x0d`.
    static func hex(_ byte: UInt8) -> String { "0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16) }

    /// The data types of LeCun's IDX specification.
    static func typeName(_ type: UInt8) -> String {
        switch type {
        case 0x08: "unsigned byte"
        case 0x09: "signed byte"
        case 0x0B: "16-bit integer"
        case 0x0C: "32-bit integer"
        case 0x0D: "32-bit float"
        case 0x0E: "64-bit float"
        default: "not an IDX type"
        }
    }
}
