@testable import OrbitDatasets

/// A PNG file taken apart for tests, checking as it goes everything `PNG.encode` promises: the
/// signature, every chunk's CRC-32, the IHDR fields, a zlib stream (header, DEFLATE body decoded by
/// the package's own `Deflate.inflate`, Adler-32 trailer) and filter type 0 on every scanline.
struct DecodedPNG {
    struct Chunk {
        var type: String
        var data: [UInt8]
    }

    var chunks: [Chunk] = []
    var width = 0
    var height = 0
    var bitDepth = 0
    var colourType = 0
    /// Compression method, filter method, interlace method.
    var methods: [UInt8] = []
    /// The zlib stream's two header bytes.
    var zlibHeader: [UInt8] = []
    /// The LEN of each stored DEFLATE block, in order.
    var storedBlockLengths: [Int] = []
    /// The pixel bytes, filter bytes removed, row-major, channels interleaved.
    var pixels: [UInt8] = []

    var channels: Int { colourType == 2 ? 3 : 1 }
}

enum PNGReadError: Error, Equatable {
    case badSignature, truncated, badCRC(chunk: String), badZlibHeader, badAdler32, badFilter(row: Int), badSize
    case missingChunk(String)
}

func readPNG(_ file: [UInt8]) throws -> DecodedPNG {
    guard file.count >= 8, Array(file[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
        throw PNGReadError.badSignature
    }
    func bigEndian(_ bytes: ArraySlice<UInt8>) -> Int { bytes.reduce(0) { $0 << 8 | Int($1) } }
    var png = DecodedPNG()
    var offset = 8
    while offset < file.count {
        guard offset + 12 <= file.count else { throw PNGReadError.truncated }
        let length = bigEndian(file[offset..<(offset + 4)])
        guard offset + 12 + length <= file.count else { throw PNGReadError.truncated }
        let typeAndData = Array(file[(offset + 4)..<(offset + 8 + length)])
        let type = String(decoding: typeAndData[0..<4], as: UTF8.self)
        let stored = bigEndian(file[(offset + 8 + length)..<(offset + 12 + length)])
        guard UInt32(stored) == CRC32.checksum(typeAndData) else { throw PNGReadError.badCRC(chunk: type) }
        png.chunks.append(.init(type: type, data: Array(typeAndData[4...])))
        offset += 12 + length
    }
    guard let header = png.chunks.first, header.type == "IHDR", header.data.count == 13 else { throw PNGReadError.missingChunk("IHDR") }
    guard png.chunks.last?.type == "IEND" else { throw PNGReadError.missingChunk("IEND") }
    png.width = bigEndian(header.data[0..<4])
    png.height = bigEndian(header.data[4..<8])
    png.bitDepth = Int(header.data[8])
    png.colourType = Int(header.data[9])
    png.methods = Array(header.data[10..<13])

    let stream = png.chunks.filter { $0.type == "IDAT" }.flatMap(\.data)
    guard stream.count >= 6 else { throw PNGReadError.truncated }
    png.zlibHeader = Array(stream[0..<2])
    // CM = 8 (deflate), CINFO <= 7, no preset dictionary, and the 16-bit header a multiple of 31.
    guard stream[0] & 0x0F == 8, stream[0] >> 4 <= 7, stream[1] & 0x20 == 0, (Int(stream[0]) << 8 | Int(stream[1])) % 31 == 0 else {
        throw PNGReadError.badZlibHeader
    }
    let body = Array(stream[2..<(stream.count - 4)])
    let scanlines = try Deflate.inflate(body)
    guard UInt32(bigEndian(stream[(stream.count - 4)...])) == Adler32.checksum(scanlines) else { throw PNGReadError.badAdler32 }
    png.storedBlockLengths = storedBlockLengths(body)

    let rowBytes = png.width * png.channels
    guard scanlines.count == png.height * (rowBytes + 1) else { throw PNGReadError.badSize }
    for row in 0..<png.height {
        guard scanlines[row * (rowBytes + 1)] == 0 else { throw PNGReadError.badFilter(row: row) }
        png.pixels += scanlines[(row * (rowBytes + 1) + 1)..<((row + 1) * (rowBytes + 1))]
    }
    return png
}

/// The LEN fields of a DEFLATE stream made only of stored blocks (empty if another block type shows up).
private func storedBlockLengths(_ body: [UInt8]) -> [Int] {
    var lengths: [Int] = []
    var offset = 0
    while offset + 5 <= body.count {
        guard body[offset] & 0b110 == 0 else { return [] }
        let length = Int(body[offset + 1]) | Int(body[offset + 2]) << 8
        lengths.append(length)
        if body[offset] & 1 == 1 { break }
        offset += 5 + length
    }
    return lengths
}
