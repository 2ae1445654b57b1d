import Testing
@testable import OrbitImages

@Test func crc32MatchesTheStandardCheckValues() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)   // the CRC-32/ISO-HDLC check value
    #expect(CRC32.checksum([]) == 0)
    #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    // Any split into pieces (crossing the 8-byte fast path) gives the same checksum.
    let data = CompressionVectors.pseudoRandom(count: 1000)
    for pieceSize in [1, 3, 7, 8, 9, 64, 999] {
        var crc = CRC32()
        for start in stride(from: 0, to: data.count, by: pieceSize) {
            crc.update(Array(data[start..<min(start + pieceSize, data.count)]))
        }
        #expect(crc.value == CRC32.checksum(data), "pieces of \(pieceSize)")
    }
}

@Test func concatenatedMembersDecodeInOrderWithTheirHeaders() throws {
    #expect(try Gzip.decompress(CompressionVectors.gzipMultiMember) == Array("hello, world\n".utf8))
    let members = try Gzip.members(CompressionVectors.gzipMultiMember)
    #expect(members.map(\.contents) == [Array("hello, ".utf8), Array("world\n".utf8), []])
    #expect(members[0].header == GzipHeader(
        modificationTime: 0x1234_5678, extraFlags: 2, operatingSystem: 3, isText: true,
        extraField: Array("AB\u{2}\0hi".utf8), fileName: "members.txt", comment: "first member"))
    #expect(members[1].header == GzipHeader(modificationTime: 0, extraFlags: 0, operatingSystem: 3))
    #expect(members[2].header.extraFlags == 2)   // level 9: "maximum compression"
}

@Test func corruptTrailersAreDetected() throws {
    let good = CompressionVectors.gzipTextLevel9
    let crcOffset = good.count - 8
    for byte in 0..<4 {
        for bit in [0, 7] {
            var corrupt = good
            corrupt[crcOffset + byte] ^= 1 << bit
            let stored = (0..<4).reduce(UInt32(0)) { $0 | UInt32(corrupt[crcOffset + $1]) << (8 * $1) }
            #expect(throws: CompressionError.crcMismatch(stored: stored, computed: CRC32.checksum(CompressionVectors.text))) {
                try Gzip.decompress(corrupt)
            }
        }
    }
    var wrongSize = good
    wrongSize[good.count - 4] &+= 1
    #expect(throws: CompressionError.sizeMismatch(stored: UInt32(CompressionVectors.text.count + 1),
                                                  actual: CompressionVectors.text.count)) {
        try Gzip.decompress(wrongSize)
    }
    // A flipped bit in the compressed data changes the output (or breaks the stream): caught either way.
    var flipped = good
    flipped[40] ^= 0x10
    #expect(throws: CompressionError.self) { try Gzip.decompress(flipped) }
}

@Test func corruptHeadersAreDetected() {
    let good = CompressionVectors.gzipMultiMember
    func corrupted(at offset: Int, to value: UInt8) -> [UInt8] {
        var bytes = good
        bytes[offset] = value
        return bytes
    }
    #expect(throws: CompressionError.badMagic(byteOffset: 0)) { try Gzip.decompress(corrupted(at: 0, to: 0x1E)) }
    #expect(throws: CompressionError.badMagic(byteOffset: 0)) { try Gzip.decompress(corrupted(at: 1, to: 0x8C)) }
    #expect(throws: CompressionError.unsupportedMethod(7, byteOffset: 2)) { try Gzip.decompress(corrupted(at: 2, to: 7)) }
    #expect(throws: CompressionError.reservedFlags(0x3F, byteOffset: 3)) { try Gzip.decompress(corrupted(at: 3, to: 0x3F)) }
    // Byte 20 is inside the file name, which the header CRC covers.
    let nameChanged = corrupted(at: 20, to: UInt8(ascii: "X"))
    #expect(throws: CompressionError.self) { try Gzip.decompress(nameChanged) }
    do {
        _ = try Gzip.decompress(nameChanged)
    } catch {
        guard case .headerCRCMismatch = error else { Issue.record("expected a header CRC mismatch, got \(error)"); return }
    }
    // Anything after the last member must be another member.
    #expect(throws: CompressionError.badMagic(byteOffset: good.count)) { try Gzip.decompress(good + [0, 0]) }
    #expect(throws: CompressionError.truncatedInput(byteOffset: good.count + 1)) { try Gzip.decompress(good + [0x1F]) }
}

@Test(arguments: [
    CompressionCase(name: "one byte", compressed: CompressionVectors.gzipOneByte, expected: Array("a".utf8)),
    CompressionCase(name: "text, level 9", compressed: CompressionVectors.gzipTextLevel9, expected: CompressionVectors.text),
    CompressionCase(name: "text, level 0", compressed: CompressionVectors.gzipTextLevel0, expected: CompressionVectors.text),
    CompressionCase(name: "three members", compressed: CompressionVectors.gzipMultiMember, expected: Array("hello, world\n".utf8)),
])
func everyTruncatedGzipFileThrows(_ vector: CompressionCase) throws {
    // Cutting the multi-member file after a whole member leaves a valid file: its last two members are
    // 26 bytes ("world\n", level 6) and 20 bytes ("", level 9) long.
    let count = vector.compressed.count
    let validLengths: Set<Int> = vector.name == "three members" ? [count - 46, count - 20, count] : [count]
    for length in 0..<count where !validLengths.contains(length) {
        #expect(throws: CompressionError.truncatedInput(byteOffset: length)) {
            try Gzip.decompress(Array(vector.compressed.prefix(length)))
        }
    }
    if validLengths.count > 1 {
        #expect(try Gzip.decompress(Array(vector.compressed.prefix(count - 20))) == vector.expected)
    }
}
