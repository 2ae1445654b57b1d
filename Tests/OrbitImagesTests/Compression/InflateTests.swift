import Testing
@testable import OrbitImages

/// A compressed stream and the bytes it must decode to.
struct CompressionCase: Sendable, CustomTestStringConvertible {
    let name: String
    let compressed: [UInt8]
    let expected: [UInt8]
    var testDescription: String { name }
}

private typealias Token = DeflateWriter.Token

@Test(arguments: [
    CompressionCase(name: "empty", compressed: CompressionVectors.gzipEmpty, expected: []),
    CompressionCase(name: "one byte, fixed Huffman", compressed: CompressionVectors.gzipOneByte, expected: Array("a".utf8)),
    CompressionCase(name: "text, level 0 (stored)", compressed: CompressionVectors.gzipTextLevel0, expected: CompressionVectors.text),
    CompressionCase(name: "text, level 1", compressed: CompressionVectors.gzipTextLevel1, expected: CompressionVectors.text),
    CompressionCase(name: "text, level 9", compressed: CompressionVectors.gzipTextLevel9, expected: CompressionVectors.text),
    CompressionCase(name: "repetitive, level 6", compressed: CompressionVectors.gzipRepetitiveLevel6,
                    expected: CompressionVectors.repetitive),
    CompressionCase(name: "random, level 9 (stored)", compressed: CompressionVectors.gzipRandomLevel9,
                    expected: CompressionVectors.pseudoRandom(count: 300)),
])
func gzipFromZlibDecodesToThePayload(_ vector: CompressionCase) throws {
    #expect(try Gzip.decompress(vector.compressed) == vector.expected)
}

@Test(arguments: [
    CompressionCase(name: "text, level 6", compressed: CompressionVectors.rawTextLevel6, expected: CompressionVectors.text),
    CompressionCase(name: "match 32000 bytes back", compressed: CompressionVectors.rawFarLevel9, expected: CompressionVectors.far),
])
func rawDeflateFromZlibDecodesToThePayload(_ vector: CompressionCase) throws {
    #expect(try Deflate.inflate(vector.compressed) == vector.expected)
}

@Test func storedBlocksOfEverySizeConcatenate() throws {
    let large = CompressionVectors.pseudoRandom(count: 65_535, seed: 3)
    var writer = DeflateWriter()
    writer.writeStoredBlock([], isFinal: false)
    writer.writeStoredBlock(large, isFinal: false)
    writer.writeFixedBlock([.literal(7)], isFinal: false)   // leaves the stream mid-byte before the next stored block
    writer.writeStoredBlock([1, 2, 3], isFinal: true)
    #expect(try Deflate.inflate(writer.bytes) == large + [7, 1, 2, 3])
}

@Test func everyLengthAndEveryDistanceCodeAtBothEndsOfItsRange() throws {
    var tokens: [Token] = CompressionVectors.pseudoRandom(count: 300, seed: 5).map { .literal($0) }
    for length in 3...258 { tokens.append(.match(length: length, distance: 1 + length % 300)) }
    // More than 32768 bytes are out now, so every distance is in range.
    for (code, base) in DeflateWriter.distanceBases.enumerated() {
        let largest = base + (1 << DeflateWriter.distanceExtraBits[code]) - 1
        for distance in Set([base, (base + largest) / 2, largest]) {
            tokens.append(.match(length: 3 + (distance % 256), distance: distance))
        }
    }
    #expect(DeflateWriter.expansion(of: tokens).count > 32_768 + 300)
    var writer = DeflateWriter()
    writer.writeFixedBlock(tokens)
    #expect(try Deflate.inflate(writer.bytes) == DeflateWriter.expansion(of: tokens))
}

@Test func overlappingMatchesRepeatTheLastDistanceBytes() throws {
    for distance in 1...17 {
        let tokens: [Token] = (0..<distance).map { .literal(UInt8($0 + 65)) }
            + [.match(length: 258, distance: distance), .match(length: 5, distance: distance)]
        var writer = DeflateWriter()
        writer.writeFixedBlock(tokens)
        let expected = (0..<(distance + 263)).map { UInt8($0 % distance + 65) }
        #expect(try Deflate.inflate(writer.bytes) == expected, "distance \(distance)")
    }
}

/// Code lengths 1, 2, ..., 14, 15, 15 for `symbols`: a complete code whose longest codes go through the
/// decoder's second-level tables.
private func deepCode(for symbols: [Int], alphabetSize: Int) -> [Int] {
    var lengths = [Int](repeating: 0, count: alphabetSize)
    for (rank, symbol) in symbols.enumerated() { lengths[symbol] = min(rank + 1, 15) }
    return lengths
}

@Test func dynamicBlocksWithFifteenBitCodesFollowingAFixedBlock() throws {
    let letters = (0..<12).map { Int(UInt8(ascii: "a")) + $0 }
    // Rarely used symbols get the longest codes: the end of block, length 258 and the last letters.
    let literalLengthSymbols = [257, 270] + letters.prefix(6) + [285] + letters.suffix(6) + [256]
    let literalLengthLengths = deepCode(for: literalLengthSymbols, alphabetSize: 286)
    let distanceLengths = deepCode(for: Array(0..<16), alphabetSize: 30)
    var tokens: [Token] = letters.map { .literal(UInt8($0)) } + [.match(length: 258, distance: 12)]
    for code in 0..<16 {
        let largest = DeflateWriter.distanceBases[code] + (1 << DeflateWriter.distanceExtraBits[code]) - 1
        for distance in [DeflateWriter.distanceBases[code], largest] {
            tokens += [.match(length: [3, 23, 26, 258][distance % 4], distance: distance), .literal(UInt8(letters[code % 12]))]
        }
    }
    let first: [Token] = (0..<40).map { .literal(UInt8($0)) }
    var writer = DeflateWriter()
    writer.writeFixedBlock(first, isFinal: false)
    writer.writeDynamicBlock(tokens, literalLengthLengths: literalLengthLengths, distanceLengths: distanceLengths)
    #expect(try Deflate.inflate(writer.bytes) == DeflateWriter.expansion(of: first + tokens))
}

@Test func singleCodesOfLengthOneAreAccepted() throws {
    // RFC 1951 §3.2.7: one distance code is sent as a single code of length one (an incomplete code).
    var literalLengthLengths = [Int](repeating: 0, count: 258)
    (literalLengthLengths[97], literalLengthLengths[256], literalLengthLengths[257]) = (1, 2, 2)
    var distanceLengths = [Int](repeating: 0, count: 1)
    distanceLengths[0] = 1
    var writer = DeflateWriter()
    writer.writeDynamicBlock([.literal(97), .match(length: 3, distance: 1)],
                             literalLengthLengths: literalLengthLengths, distanceLengths: distanceLengths)
    #expect(try Deflate.inflate(writer.bytes) == Array("aaaa".utf8))

    // An empty block whose only literal/length code is the end of block, and no distance codes.
    var onlyEnd = [Int](repeating: 0, count: 257)
    onlyEnd[256] = 1
    var empty = DeflateWriter()
    empty.writeDynamicBlock([], literalLengthLengths: onlyEnd, distanceLengths: [0])
    #expect(try Deflate.inflate(empty.bytes) == [])
}

@Test func outputIsCappedAtTheRequestedSize() throws {
    let size = CompressionVectors.far.count
    #expect(try Deflate.inflate(CompressionVectors.rawFarLevel9, maximumOutputSize: size) == CompressionVectors.far)
    #expect(throws: CompressionError.outputTooLarge(limit: size - 1)) {
        try Deflate.inflate(CompressionVectors.rawFarLevel9, maximumOutputSize: size - 1)
    }
    #expect(throws: CompressionError.outputTooLarge(limit: 100)) {
        try Gzip.decompress(CompressionVectors.gzipTextLevel0, maximumOutputSize: 100)
    }
}
