import Testing
@testable import OrbitDatasets

@Test func idxDecodesAHandWrittenFile() throws {
    // Magic 00 00 08 02, dimensions 2 x 3 big-endian, then six bytes.
    let bytes: [UInt8] = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]
    let array = try IDXArray(decoding: bytes)
    #expect(array.dimensions == [2, 3])
    #expect(array.elements == [1, 2, 3, 4, 5, 255])
    #expect(array.encoded() == bytes)
}

@Test func idxRoundTripsLargeDimensions() throws {
    var state: UInt64 = 1
    let elements = (0..<70_000).map { _ in                         // a 64-bit LCG's top bytes
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(state >> 56)
    }
    let array = try IDXArray(dimensions: [70_000, 1], elements: elements)
    let encoded = array.encoded()
    #expect(Array(encoded.prefix(12)) == [0, 0, 8, 2, 0, 1, 0x11, 0x70, 0, 0, 0, 1])   // 70000 = 0x00011170
    #expect(try IDXArray(decoding: encoded) == array)
}

@Test func idxRejectsMalformedHeadersAndLengths() throws {
    #expect(throws: IDXError.tooShort(byteCount: 3, needed: 4)) { try IDXArray(decoding: [0, 0, 8]) }
    #expect(throws: IDXError.tooShort(byteCount: 8, needed: 12)) { try IDXArray(decoding: [0, 0, 8, 2, 0, 0, 0, 1]) }
    #expect(throws: IDXError.badMagic(0, 1)) { try IDXArray(decoding: [0, 1, 8, 1, 0, 0, 0, 0]) }
    #expect(throws: IDXError.noDimensions) { try IDXArray(decoding: [0, 0, 8, 0]) }
    #expect(throws: IDXError.dataLengthMismatch(expected: 3, actual: 4, dimensions: [3])) {
        try IDXArray(decoding: [0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3, 4])
    }
    #expect(throws: IDXError.dataLengthMismatch(expected: 3, actual: 2, dimensions: [3])) {
        try IDXArray(decoding: [0, 0, 8, 1, 0, 0, 0, 3, 1, 2])
    }
    #expect(throws: IDXError.sizeOverflow(dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF])) {
        try IDXArray(decoding: [0, 0, 8, 3] + [UInt8](repeating: 0xFF, count: 12))
    }
    #expect(throws: IDXError.dataLengthMismatch(expected: 6, actual: 5, dimensions: [2, 3])) {
        try IDXArray(dimensions: [2, 3], elements: [1, 2, 3, 4, 5])
    }
}

@Test(arguments: [UInt8(0x09), 0x0B, 0x0C, 0x0D, 0x0E, 0x07])
func idxRejectsEveryTypeButUnsignedBytes(type: UInt8) throws {
    let error = try #require(throws: IDXError.self) { try IDXArray(decoding: [0, 0, type, 1, 0, 0, 0, 1, 0]) }
    #expect(error == .unsupportedDataType(type))
    #expect(error.description.contains(" at offset 2 ") && error.description.contains("expected 0x08 (unsigned byte)"))
    if type == 0x0D { #expect(error.description.hasPrefix("IDX type byte 0x0d at offset 2 (32-bit float)")) }
}
