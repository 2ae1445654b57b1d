/// An array in LeCun's IDX format, as MNIST ships: a big-endian header, then the elements in row-major
/// order (http://yann.lecun.com/exdb/mnist/, "the IDX file format").
///
/// Header: two zero bytes, a data-type byte (0x08 = unsigned byte, the only type supported here), the
/// number of dimensions, then each dimension as a big-endian 32-bit integer. MNIST images are
/// `[count, 28, 28]` and labels `[count]`.
public struct IDXArray: Equatable, Sendable {
    /// Size along each axis, outermost first.
    public let dimensions: [Int]
    /// The unsigned-byte elements in row-major order; `elements.count` is the product of `dimensions`.
    public let elements: [UInt8]

    /// An array of the given shape; throws if the element count does not match.
    public init(dimensions: [Int], elements: [UInt8]) throws(IDXError) {
        guard !dimensions.isEmpty else { throw .noDimensions }
        guard dimensions.count <= 255 else { throw .sizeOverflow(dimensions: dimensions) }
        let expected = try IDXArray.elementCount(dimensions)
        guard elements.count == expected else {
            throw .dataLengthMismatch(expected: expected, actual: elements.count, dimensions: dimensions)
        }
        self.dimensions = dimensions
        self.elements = elements
    }

    /// Decodes IDX bytes (already decompressed); the data must be exactly as long as the header says.
    /// With `expectedRank` (MNIST: 3 for images, 1 for labels), a header declaring another number of
    /// dimensions is rejected by naming that byte, before its dimensions are read.
    public init(decoding bytes: [UInt8], expectedRank: Int? = nil) throws(IDXError) {
        guard bytes.count >= 4 else { throw .tooShort(byteCount: bytes.count, needed: 4) }
        guard bytes[0] == 0, bytes[1] == 0 else { throw .badMagic(bytes[0], bytes[1]) }
        guard bytes[2] == 0x08 else { throw .unsupportedDataType(bytes[2]) }
        let rank = Int(bytes[3])
        if let expectedRank, rank != expectedRank { throw .unexpectedRank(found: bytes[3], expected: expectedRank) }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else { throw .tooShort(byteCount: bytes.count, needed: headerSize) }
        let dimensions = (0..<rank).map { axis in
            bytes[(4 + 4 * axis)..<(8 + 4 * axis)].reduce(0) { $0 << 8 | Int($1) }
        }
        guard !dimensions.isEmpty else { throw .noDimensions }
        let expected = try IDXArray.elementCount(dimensions)
        guard bytes.count - headerSize == expected else {
            throw .dataLengthMismatch(expected: expected, actual: bytes.count - headerSize, dimensions: dimensions)
        }
        self.dimensions = dimensions
        self.elements = Array(bytes[headerSize...])
    }

    /// The IDX encoding of this array (type 0x08); `IDXArray(decoding: array.encoded()) == array`.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for dimension in dimensions {
            bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: dimension >> $0) }
        }
        return bytes + elements
    }

    private static func elementCount(_ dimensions: [Int]) throws(IDXError) -> Int {
        var count = 1
        for dimension in dimensions {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, (0...Int(UInt32.max)).contains(dimension) else { throw .sizeOverflow(dimensions: dimensions) }
            count = product
        }
        return count
    }
}
