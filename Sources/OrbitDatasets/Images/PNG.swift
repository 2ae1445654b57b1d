/// A PNG encoder (ISO/IEC 15948, RFC 2083) for 8-bit grayscale and RGB images, without compression.
///
/// The file is the signature, an IHDR chunk (bit depth 8, colour type 0 or 2, no interlace), one IDAT
/// chunk and IEND, each chunk with its CRC-32 (`CRC32`). The IDAT holds a zlib stream (RFC 1950):
/// header 0x78 0x01, the scanlines (each led by filter type 0, "None") in stored DEFLATE blocks of at
/// most 65,535 bytes (RFC 1951 3.2.4), and the Adler-32 of the scanlines. Stored blocks make the files
/// about as large as the raw pixels, which is fine for the small pictures Orbit writes and keeps the
/// encoder a page long.
public enum PNG {
    /// The 8 bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The most bytes one stored DEFLATE block holds.
    public static let maximumStoredBlockSize = 65_535

    /// The PNG file of `image`: values clamped to [0, 1] and rounded to 0...255 (NaN as 0).
    public static func encode(_ image: RasterImage) -> [UInt8] {
        let rowBytes = image.width * image.channels
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity(image.height * (rowBytes + 1))
        for row in 0..<image.height {
            scanlines.append(0)   // filter type None
            for value in image.pixels[(row * rowBytes)..<((row + 1) * rowBytes)] {
                scanlines.append(value.isNaN ? 0 : UInt8((min(max(value, 0), 1) * 255).rounded()))
            }
        }
        var header: [UInt8] = []
        appendBigEndian(UInt32(image.width), to: &header)
        appendBigEndian(UInt32(image.height), to: &header)
        header += [8, image.channels == 1 ? 0 : 2, 0, 0, 0]   // depth, colour type, compression, filter, interlace
        var file = signature
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", zlibStored(scanlines), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// A zlib stream holding `bytes` in stored (uncompressed) DEFLATE blocks.
    static func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]   // deflate, 32 KiB window, no dictionary; 0x7801 % 31 == 0
        stream.reserveCapacity(bytes.count + 5 * (bytes.count / maximumStoredBlockSize + 1) + 6)
        var start = 0
        repeat {
            let end = min(start + maximumStoredBlockSize, bytes.count)
            let length = UInt16(end - start)
            // BFINAL in bit 0, BTYPE 00 in bits 1-2, then padding to the byte boundary; LEN and NLEN little-endian.
            stream += [end == bytes.count ? 1 : 0, UInt8(length & 0xFF), UInt8(length >> 8),
                       UInt8(~length & 0xFF), UInt8(~length >> 8)]
            stream += bytes[start..<end]
            start = end
        } while start < bytes.count
        appendBigEndian(Adler32.checksum(bytes), to: &stream)
        return stream
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &file)
        let typeAndData = Array(type.utf8) + data
        file += typeAndData
        appendBigEndian(CRC32.checksum(typeAndData), to: &file)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
