import Orbit
import Testing
@testable import OrbitImages

/// Bytes to compress and what the test expects of them.
struct DeflateCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    var testDescription: String { "\(name) (\(bytes.count) bytes)" }
}

/// Seeded uniform bytes: nothing for LZ77 or Huffman coding to gain.
private func noise(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = RandomGenerator(seed: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
}

/// Seeded prose-like text: words of a small vocabulary with spaces and punctuation.
private func textLike(_ count: Int, seed: UInt64) -> [UInt8] {
    let words = ["the", "flow", "orbit", "group", "equivariant", "field", "of", "a", "rotation", "moves",
                 "and", "is", "kernel", "layer", "velocity", "in", "each", "frame"]
    var generator = RandomGenerator(seed: seed)
    var text: [UInt8] = []
    while text.count < count {
        text += Array(words[Int(generator.next() % UInt64(words.count))].utf8)
        text.append(generator.next() % 9 == 0 ? UInt8(ascii: ".") : UInt8(ascii: " "))
    }
    return Array(text.prefix(count))
}

private let window = Deflater.windowSize

@Test(arguments: [
    DeflateCase(name: "empty", bytes: []),
    DeflateCase(name: "one byte", bytes: [42]),
    DeflateCase(name: "two bytes", bytes: [1, 2]),
    DeflateCase(name: "zeros", bytes: [UInt8](repeating: 0, count: 1 << 20)),
    DeflateCase(name: "noise", bytes: noise(200_000, seed: 1)),
    DeflateCase(name: "text-like", bytes: textLike(300_000, seed: 2)),
    DeflateCase(name: "byte pattern", bytes: (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * $0 >> 5) }),
    DeflateCase(name: "run of 257 after noise", bytes: noise(100, seed: 3) + [UInt8](repeating: 7, count: 257)),
    DeflateCase(name: "run of 258 after noise", bytes: noise(100, seed: 3) + [UInt8](repeating: 7, count: 258)),
    DeflateCase(name: "run of 259 after noise", bytes: noise(100, seed: 3) + [UInt8](repeating: 7, count: 259)),
    DeflateCase(name: "run of 261 after noise", bytes: noise(100, seed: 3) + [UInt8](repeating: 7, count: 261)),
    DeflateCase(name: "run of 517 after noise", bytes: noise(100, seed: 3) + [UInt8](repeating: 7, count: 517)),
    DeflateCase(name: "noise, one byte short of the window", bytes: noise(window - 1, seed: 4)),
    DeflateCase(name: "noise, the window", bytes: noise(window, seed: 4)),
    DeflateCase(name: "noise, one byte past the window", bytes: noise(window + 1, seed: 4)),
    DeflateCase(name: "noise, around a full stored block", bytes: noise(65_536, seed: 5)),
    DeflateCase(name: "zeros, one byte past two windows", bytes: [UInt8](repeating: 0, count: 2 * window + 1)),
    DeflateCase(name: "a repeat exactly one window back", bytes: { let block = noise(window, seed: 6); return block + block }()),
    DeflateCase(name: "a repeat one byte beyond the window", bytes: { let block = noise(window + 1, seed: 6); return block + block.prefix(600) }()),
])
func deflatedBytesInflateToThemselves(_ test: DeflateCase) throws {
    let compressed = Deflate.deflate(test.bytes)
    #expect(try Deflate.inflate(compressed) == test.bytes)
    // Never much worse than stored blocks: about 5 bytes per 32 KiB, whatever the input.
    #expect(compressed.count <= test.bytes.count + 5 * (test.bytes.count / window + 2))
}

@Test func emptyInputIsOneFinalFixedBlockWithOnlyTheEndOfBlockCode() {
    // BFINAL 1, BTYPE 01, then the 7-bit code 0000000 of symbol 256, padded: 0b011 then zeros.
    #expect(Deflate.deflate([]) == [0x03, 0x00])
}

@Test func compressibleInputShrinksAndEachBlockTypeIsUsedWhereItPays() throws {
    let zeros = Deflate.deflate([UInt8](repeating: 0, count: 100_000))
    #expect(zeros.count < 1_000, "\(zeros.count) bytes")
    let text = textLike(100_000, seed: 7)
    let compressedText = Deflate.deflate(text)
    #expect(compressedText.count < text.count / 3, "\(compressedText.count) bytes")
    #expect(compressedText[0] & 0b110 == 0b100, "text gets dynamic codes")
    #expect(Deflate.deflate(Array("abcabcabc".utf8))[0] & 0b110 == 0b010, "a few bytes get fixed codes")
    let random = noise(10_000, seed: 8)
    #expect(Deflate.deflate(random)[0] & 0b110 == 0, "noise is stored")
}

@Test func aRepeatExactlyOneWindowBackIsFound() throws {
    // The only matches in `block + block.prefix(1000)` are 32,768 bytes back: 1000 bytes in four
    // tokens, plus the dynamic block header their block now needs (the noise alone is stored).
    let block = noise(window, seed: 9)
    let alone = Deflate.deflate(block).count
    let repeated = Deflate.deflate(block + block.prefix(1_000))
    #expect(try Deflate.inflate(repeated) == block + block.prefix(1_000))
    #expect(repeated.count < alone + 150, "\(repeated.count) vs \(alone) bytes")
    // One byte farther is out of reach: the repeat costs about its own size.
    let farther = noise(window + 1, seed: 9)
    #expect(Deflate.deflate(farther + farther.prefix(1_000)).count > Deflate.deflate(farther).count + 900)
}

@Test func huffmanCodesRespectTheirLengthLimitAndAreComplete() {
    // Fibonacci counts make the deepest possible optimal trees (depth n - 1 for n symbols).
    var fibonacci = [1, 1]
    while fibonacci.count < 30 { fibonacci.append(fibonacci[fibonacci.count - 1] + fibonacci[fibonacci.count - 2]) }
    for (counts, limit) in [(fibonacci, 15), (Array(fibonacci.prefix(19)), 7), ([0, 0, 5, 0], 15), ([0, 0, 0], 7)] {
        let code = HuffmanCode(frequencies: counts, maximumLength: limit)
        #expect(code.lengths.allSatisfy { $0 <= limit }, "limit \(limit)")
        // Kraft sum exactly 1: a complete prefix code, which every inflater accepts.
        let kraft = code.lengths.filter { $0 > 0 }.reduce(0) { $0 + (1 << (15 - Int($1))) }
        #expect(kraft == 1 << 15, "counts \(counts)")
        #expect(code.lengths.filter { $0 > 0 }.count >= 2)
    }
    // Without a limit to hit, the code is the optimal one: lengths 1, 2, 3, 3 for counts 8, 4, 2, 2.
    #expect(HuffmanCode(frequencies: [2, 8, 2, 4], maximumLength: 15).lengths == [3, 1, 3, 2])
}

@Test func lengthAndDistanceSymbolsMatchTheTablesOfTheStandard() {
    // Checked against the tables the test writer copies from RFC 1951 §3.2.5.
    let wrongLengths = (3...258).filter { length in
        let code = DeflateBlock.lengthCode(length), index = code.symbol - 257
        return DeflateWriter.lengthBases[index] + code.extra != length
            || DeflateWriter.lengthExtraBits[index] != code.extraBits || code.extra >= 1 << code.extraBits
    }
    #expect(wrongLengths.isEmpty)
    let wrongDistances = (1...32_768).filter { distance in
        let code = DeflateBlock.distanceCode(distance)
        return DeflateWriter.distanceBases[code.symbol] + code.extra != distance
            || DeflateWriter.distanceExtraBits[code.symbol] != code.extraBits || code.extra >= 1 << code.extraBits
    }
    #expect(wrongDistances.isEmpty)
}
