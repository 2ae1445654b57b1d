import Testing
@testable import OrbitImages

// Malformed DEFLATE streams, most built bit by bit with `DeflateWriter`: each must throw the precise
// error, never trap or read outside the input.

private typealias Token = DeflateWriter.Token

private func expectInflate(_ bytes: [UInt8], throws expected: CompressionError,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(throws: expected, sourceLocation: sourceLocation) { try Deflate.inflate(bytes) }
}

@Test func blockHeaderAndStoredBlockErrors() {
    expectInflate([], throws: .truncatedInput(byteOffset: 0))
    expectInflate([0b111], throws: .invalidBlockType(3, byteOffset: 0))
    expectInflate([0x01, 0x05, 0x00, 0x00, 0x00], throws: .storedLengthMismatch(length: 5, complement: 0, byteOffset: 1))
    expectInflate([0x01, 0x05, 0x00, 0xFA, 0xFF, 1, 2], throws: .truncatedInput(byteOffset: 7))
    expectInflate([0x01, 0x05, 0x00], throws: .truncatedInput(byteOffset: 3))
}

@Test func matchesBeforeTheStartOfTheOutputAreRejected() {
    var writer = DeflateWriter()
    writer.writeFixedBlock([.literal(1), .match(length: 3, distance: 2)])
    expectInflate(writer.bytes, throws: .distanceTooFarBack(distance: 2, available: 1, byteOffset: 2))
    var first = DeflateWriter()
    first.writeFixedBlock([.match(length: 3, distance: 1)])
    expectInflate(first.bytes, throws: .distanceTooFarBack(distance: 1, available: 0, byteOffset: 1))
}

@Test func reservedSymbolsOfTheFixedCodeAreRejected() {
    let codes = DeflateWriter.canonicalCodes(DeflateWriter.fixedLiteralLengthLengths)
    var literalLength = DeflateWriter()
    literalLength.write(1, bits: 1)
    literalLength.write(1, bits: 2)
    literalLength.writeCode(codes[286], length: 8)
    expectInflate(literalLength.bytes, throws: .invalidSymbol(table: "literal/length", byteOffset: 1))

    var distance = DeflateWriter()
    distance.write(1, bits: 1)
    distance.write(1, bits: 2)
    distance.writeCode(codes[Int(UInt8(ascii: "a"))], length: 8)
    distance.writeCode(codes[257], length: 7)
    distance.writeCode(30, length: 5)
    expectInflate(distance.bytes, throws: .invalidSymbol(table: "distance", byteOffset: 2))
}

/// A dynamic header sending `codeLengthSymbols` with a complete code-length code (13 codes of 4 bits,
/// 6 of 5 bits, so the repeat symbols 16, 17 and 18 have codes too).
private func dynamicHeader(literalLengthCount: Int = 257, distanceCount: Int = 1,
                           codeLengthSymbols: [(symbol: Int, extra: Int)]) -> [UInt8] {
    var writer = DeflateWriter()
    writer.writeDynamicHeader(literalLengthCount: literalLengthCount, distanceCount: distanceCount,
                              codeLengthCodeLengths: [Int](repeating: 4, count: 13) + [Int](repeating: 5, count: 6),
                              codeLengthSymbols: codeLengthSymbols)
    writer.write(0, bits: 16)   // something to decode, so only the description is at fault
    return writer.bytes
}

@Test func invalidCodeLengthCodesAreRejected() throws {
    func header(codeLengthCodeLengths: [Int]) -> [UInt8] {
        var writer = DeflateWriter()
        writer.writeDynamicHeader(literalLengthCount: 257, distanceCount: 1, codeLengthCodeLengths: codeLengthCodeLengths,
                                  codeLengthSymbols: [])
        writer.write(0, bits: 32)
        return writer.bytes
    }
    expectInflate(header(codeLengthCodeLengths: [Int](repeating: 1, count: 19)),
                  throws: .oversubscribedCode(table: "code-length", byteOffset: 9))
    expectInflate(header(codeLengthCodeLengths: [1, 2] + [Int](repeating: 0, count: 17)),
                  throws: .incompleteCode(table: "code-length", byteOffset: 9))
    // A single code-length code of length one is incomplete and, unlike a distance code, not allowed.
    expectInflate(header(codeLengthCodeLengths: [1] + [Int](repeating: 0, count: 18)),
                  throws: .incompleteCode(table: "code-length", byteOffset: 9))
}

@Test func inconsistentCodeLengthSequencesAreRejected() throws {
    let noPrevious = try #require(inflateError(dynamicHeader(codeLengthSymbols: [(16, 0)])))
    #expect(noPrevious.description.hasPrefix("invalid code lengths (repeat of the previous length with no previous length)"))

    let tooMany = try #require(inflateError(dynamicHeader(literalLengthCount: 287, codeLengthSymbols: [])))
    #expect(tooMany.description.hasPrefix("invalid code lengths (287 literal/length and 1 distance codes"))

    let pastEnd = try #require(inflateError(dynamicHeader(codeLengthSymbols: [(1, 0), (18, 127), (18, 127)])))
    #expect(pastEnd.description.hasPrefix("invalid code lengths (a repeat runs past the 258 code lengths)"))

    // 'a' and 'b' form a complete code of length one, but there is no end-of-block code.
    let noEnd = try #require(inflateError(dynamicHeader(
        codeLengthSymbols: [(18, 86), (1, 0), (1, 0), (18, 127), (18, 10)])))
    #expect(noEnd.description.hasPrefix("invalid code lengths (no code for end-of-block)"))
}

/// Literal/length code lengths: 'a' (97), 'b', end of block (256) and length 3 (257) with the given lengths.
private func literalLengths(a: Int, b: Int, end: Int, length3: Int) -> [Int] {
    var lengths = [Int](repeating: 0, count: 258)
    (lengths[97], lengths[98], lengths[256], lengths[257]) = (a, b, end, length3)
    return lengths
}

@Test func oversubscribedAndIncompleteLiteralLengthAndDistanceCodesAreRejected() throws {
    func block(_ literalLength: [Int], _ distance: [Int]) -> [UInt8] {
        var writer = DeflateWriter()
        writer.writeDynamicHeader(literalLengthCount: literalLength.count, distanceCount: distance.count,
                                  codeLengthCodeLengths: [Int](repeating: 4, count: 16) + [0, 0, 0],
                                  codeLengthSymbols: (literalLength + distance).map { ($0, 0) })
        writer.write(0, bits: 16)
        return writer.bytes
    }
    let over = try #require(inflateError(block(literalLengths(a: 1, b: 1, end: 1, length3: 0), [1])))
    #expect(over.description.hasPrefix("over-subscribed literal/length Huffman code"))
    let incomplete = try #require(inflateError(block(literalLengths(a: 1, b: 0, end: 2, length3: 0), [1])))
    #expect(incomplete.description.hasPrefix("incomplete literal/length Huffman code"))
    let distanceOver = try #require(inflateError(block(literalLengths(a: 1, b: 0, end: 1, length3: 0), [1, 1, 1])))
    #expect(distanceOver.description.hasPrefix("over-subscribed distance Huffman code"))
    let distanceIncomplete = try #require(inflateError(block(literalLengths(a: 1, b: 0, end: 1, length3: 0), [1, 2, 0])))
    #expect(distanceIncomplete.description.hasPrefix("incomplete distance Huffman code"))

    // No distance codes at all is valid until a match needs one.
    var writer = DeflateWriter()
    writer.writeDynamicBlock([.literal(97), .match(length: 3, distance: 1)],
                             literalLengthLengths: literalLengths(a: 1, b: 0, end: 2, length3: 2), distanceLengths: [0])
    let noDistance = try #require(inflateError(writer.bytes))
    #expect(noDistance.description.hasPrefix("invalid distance code"))
}

@Test(arguments: [
    CompressionCase(name: "raw text, level 6", compressed: CompressionVectors.rawTextLevel6, expected: CompressionVectors.text),
    CompressionCase(name: "raw, 32000 back", compressed: CompressionVectors.rawFarLevel9, expected: CompressionVectors.far),
])
func everyTruncationThrowsTruncatedInput(_ vector: CompressionCase) throws {
    for length in 0..<vector.compressed.count {
        expectInflate(Array(vector.compressed.prefix(length)), throws: .truncatedInput(byteOffset: length))
    }
}

/// The error inflating `bytes` throws, as a `CompressionError`.
private func inflateError(_ bytes: [UInt8]) -> CompressionError? {
    do {
        _ = try Deflate.inflate(bytes)
        return nil
    } catch {
        return error
    }
}
