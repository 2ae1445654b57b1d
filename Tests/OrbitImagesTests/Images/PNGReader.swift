@testable import OrbitImages

/// A PNG file taken apart for tests, checking as it goes everything `PNG.encode` promises: the
/// signature, every chunk's CRC-32, the IHDR fields, a zlib stream (header, DEFLATE body decoded by
/// the package's own `Deflate.inflate`, Adler-32 trailer) and a known filter type on every scanline,
/// which `unfilterScanlines` undoes as written in the PNG standard (ISO/IEC 15948 §9.2).
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
    /// The DEFLATE stream inside the zlib stream, without header and trailer.
    var deflateStream: [UInt8] = []
    /// The filter type of each scanline, top to bottom.
    var filterTypes: [UInt8] = []
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
    png.deflateStream = body

    let rowBytes = png.width * png.channels
    guard scanlines.count == png.height * (rowBytes + 1) else { throw PNGReadError.badSize }
    (png.pixels, png.filterTypes) = try unfilterScanlines(scanlines, rowBytes: rowBytes, bytesPerPixel: png.channels)
    return png
}

/// The pixel bytes and filter types of `scanlines` (each a filter type byte and `rowBytes` filtered
/// bytes), every filter undone byte by byte from its definition, with 0 for bytes outside the image.
func unfilterScanlines(_ scanlines: [UInt8], rowBytes: Int, bytesPerPixel: Int) throws -> (pixels: [UInt8], filterTypes: [UInt8]) {
    var pixels: [UInt8] = []
    var filterTypes: [UInt8] = []
    var above = [UInt8](repeating: 0, count: rowBytes)
    for row in 0..<(scanlines.count / (rowBytes + 1)) {
        let start = row * (rowBytes + 1)
        let type = scanlines[start]
        var current = [UInt8](repeating: 0, count: rowBytes)
        for index in 0..<rowBytes {
            let a = index >= bytesPerPixel ? Int(current[index - bytesPerPixel]) : 0
            let b = Int(above[index])
            let c = index >= bytesPerPixel ? Int(above[index - bytesPerPixel]) : 0
            let predictor: Int
            switch type {
            case 0: predictor = 0
            case 1: predictor = a
            case 2: predictor = b
            case 3: predictor = (a + b) / 2
            case 4:
                let p = a + b - c
                let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
            default: throw PNGReadError.badFilter(row: row)
            }
            current[index] = UInt8((Int(scanlines[start + 1 + index]) + predictor) % 256)
        }
        pixels += current
        filterTypes.append(type)
        above = current
    }
    return (pixels, filterTypes)
}
