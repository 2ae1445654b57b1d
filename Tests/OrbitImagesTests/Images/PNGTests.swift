import Foundation
import Orbit
import Testing
@testable import OrbitImages

/// Adler-32 the slow way: both sums reduced after every byte (RFC 1950 8.2).
private func adler32Reference(_ bytes: [UInt8]) -> UInt32 {
    var (a, b): (UInt32, UInt32) = (1, 0)
    for byte in bytes {
        a = (a + UInt32(byte)) % 65521
        b = (b + a) % 65521
    }
    return b << 16 | a
}

@Test func adler32MatchesKnownValuesAndThePerByteDefinition() {
    #expect(Adler32.checksum([]) == 1)
    #expect(Adler32.checksum(Array("Wikipedia".utf8)) == 0x11E6_0398)
    // All 0xFF is the worst case for the deferred reduction; lengths around zlib's 5552-byte run.
    for count in [5551, 5552, 5553, 3 * 5552 + 7] {
        let ones = [UInt8](repeating: 0xFF, count: count)
        #expect(Adler32.checksum(ones) == adler32Reference(ones), "\(count) bytes of 0xFF")
    }
    var generator = RandomGenerator(seed: 3)
    let noise = (0..<20_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    #expect(Adler32.checksum(noise) == adler32Reference(noise))
}

@Test func grayscalePNGDecodesToItsHeaderAndRoundedClampedBytes() throws {
    let values: [Float] = [0, 1, 0.5, -0.2, 1.7, .nan, 0.25, 0.75, 1 / 255, 254.4 / 255, 0.11, 0.8, 0.31, 0.6, 0.2]
    let image = RasterImage(width: 5, height: 3, channels: 1, pixels: values)
    let file = image.pngData()
    let png = try readPNG(file)
    #expect(Array(file[0..<8]) == PNG.signature)
    #expect(png.chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
    #expect(png.chunks[0].data == [0, 0, 0, 5, 0, 0, 0, 3, 8, 0, 0, 0, 0])   // big-endian size, depth 8, grey, methods 0
    #expect(png.width == 5 && png.height == 3 && png.bitDepth == 8 && png.colourType == 0 && png.methods == [0, 0, 0])
    #expect(png.zlibHeader == [0x78, 0x9C])
    #expect(png.chunks[2].data.isEmpty)
    // The IEND chunk's CRC is the well-known AE 42 60 82.
    #expect(Array(file.suffix(4)) == [0xAE, 0x42, 0x60, 0x82])
    #expect(png.pixels == [0, 255, 128, 0, 255, 0, 64, 191, 1, 254, 28, 204, 79, 153, 51])
}

@Test func rgbPNGInterleavesChannelsPerPixel() throws {
    var pixels: [Float] = []
    for y in 0..<2 {
        for x in 0..<4 { pixels += [Float(x) / 3, Float(y), 0.5] }
    }
    let png = try readPNG(RasterImage(width: 4, height: 2, channels: 3, pixels: pixels).pngData())
    #expect(png.colourType == 2 && png.width == 4 && png.height == 2)
    #expect(png.pixels == [0, 0, 128, 85, 0, 128, 170, 0, 128, 255, 0, 128,
                           0, 255, 128, 85, 255, 128, 170, 255, 128, 255, 255, 128])
}

@Test func noiseRoundTripsAndStaysNearItsRawSize() throws {
    // 75,250 bytes of scanlines that no filter or match helps: stored blocks, a few bytes of overhead.
    var generator = RandomGenerator(seed: 8)
    let pixels = (0..<(300 * 250)).map { _ in Float(generator.next() % 256) / 255 }
    let file = RasterImage(width: 300, height: 250, channels: 1, pixels: pixels).pngData()
    let png = try readPNG(file)
    #expect(png.pixels == pixels.map { UInt8(($0 * 255).rounded()) })
    #expect(png.deflateStream[0] & 0b110 == 0, "the first block is stored")
    #expect(file.count < 300 * 250 + 250 + 100)
}

@Test func smoothImagesGetFiltersThatTurnThemIntoZeros() throws {
    // A horizontal ramp: Sub leaves small steps on the first row, Up leaves zeros on every other one.
    let pixels = (0..<8).flatMap { _ in (0..<64).flatMap { x in [Float](repeating: Float(x) / 63, count: 3) } }
    let png = try readPNG(RasterImage(width: 64, height: 8, channels: 3, pixels: pixels).pngData())
    #expect(png.filterTypes == [PNGFilter.sub.rawValue] + [UInt8](repeating: PNGFilter.up.rawValue, count: 7))
    #expect(png.pixels == pixels.map { UInt8(($0 * 255).rounded()) })
}

@Test func everyFilterIsUndoneByTheStandardsDefinition() throws {
    var generator = RandomGenerator(seed: 4)
    let (rowBytes, height, bytesPerPixel) = (12, 4, 3)
    let pixels = (0..<(rowBytes * height)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    for filter in PNGFilter.allCases {
        var scanlines: [UInt8] = []
        var filtered = [UInt8](repeating: 0, count: rowBytes)
        pixels.withUnsafeBufferPointer { pixels in
            for row in 0..<height {
                let above = row == 0 ? [UInt8](repeating: 0, count: rowBytes) : Array(pixels[((row - 1) * rowBytes)..<(row * rowBytes)])
                above.withUnsafeBufferPointer { above in
                    _ = filtered.withUnsafeMutableBufferPointer { output in
                        filter.apply(UnsafeBufferPointer(rebasing: pixels[(row * rowBytes)..<((row + 1) * rowBytes)]),
                                     above: above, bytesPerPixel: bytesPerPixel, into: output)
                    }
                }
                scanlines += [filter.rawValue] + filtered
            }
        }
        let (unfiltered, types) = try unfilterScanlines(scanlines, rowBytes: rowBytes, bytesPerPixel: bytesPerPixel)
        #expect(unfiltered == pixels, "filter \(filter)")
        #expect(types == [UInt8](repeating: filter.rawValue, count: height))
    }
}

@Test func aMostlyWhitePlotShrinksToASmallFractionOfItsRawSize() throws {
    // 1000 x 600 RGB (1.8 MB raw): white, with a black frame and a diagonal line.
    var pixels = [Float](repeating: 1, count: 1000 * 600 * 3)
    for y in 0..<600 {
        for x in 0..<1000 where x == 50 || x == 950 || y == 30 || y == 570 || abs(x - 50 - y * 3 / 2) <= 1 {
            for channel in 0..<3 { pixels[(y * 1000 + x) * 3 + channel] = channel == 2 ? 0.8 : 0 }
        }
    }
    let file = RasterImage(width: 1000, height: 600, channels: 3, pixels: pixels).pngData()
    let png = try readPNG(file)
    #expect(png.pixels == pixels.map { UInt8(($0 * 255).rounded()) })
    #expect(file.count < 1000 * 600 * 3 / 100, "\(file.count) bytes")
}

@Test func theReaderCatchesADamagedByteSoItsChecksCanFail() throws {
    var file = RasterImage(width: 3, height: 2, channels: 1, filledWith: 0.5).pngData()
    let idatData = 8 + 25 + 8   // signature, IHDR chunk (4 + 4 + 13 + 4), IDAT length and type
    file[idatData + 2] ^= 0x01   // the first byte of the DEFLATE stream
    #expect(throws: PNGReadError.badCRC(chunk: "IDAT")) { try readPNG(file) }
    var signature = RasterImage(width: 1, height: 1, channels: 1, filledWith: 0).pngData()
    signature[1] = 0x51
    #expect(throws: PNGReadError.badSignature) { try readPNG(signature) }
}

@Test func writePNGWritesTheEncodedBytes() throws {
    let image = RasterImage(width: 2, height: 2, channels: 3, filledWith: 0.25)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-png-\(UUID().uuidString).png")
    defer { try? FileManager.default.removeItem(at: url) }
    try image.writePNG(to: url)
    #expect([UInt8](try Data(contentsOf: url)) == image.pngData())
    let missing = URL(fileURLWithPath: "/nonexistent-orbit-directory/picture.png")
    #expect(throws: (any Error).self) { try image.writePNG(to: missing) }
}
