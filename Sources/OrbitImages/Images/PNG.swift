/// A PNG encoder (ISO/IEC 15948, RFC 2083) for 8-bit grayscale and RGB images.
///
/// The file is the signature, an IHDR chunk (bit depth 8, colour type 0 or 2, no interlace), one IDAT
/// chunk and IEND, each chunk with its CRC-32 (`CRC32`). Each scanline is filtered with the filter type
/// that suits it best (`PNGFilter`), and the IDAT holds them as a zlib stream (RFC 1950): header
/// 0x78 0x9C, the DEFLATE stream of `Deflate.deflate` and the Adler-32 of the filtered scanlines.
/// Plots and heat maps, mostly flat colour, shrink to a small fraction of their raw size; noise stays
/// within a few bytes per 32 KiB of it.
public enum PNG {
    /// The 8 bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG file of `image`: values clamped to [0, 1] and rounded to 0...255 (NaN as 0).
    public static func encode(_ image: RasterImage) -> [UInt8] {
        let bytes = image.pixels.map { value in value.isNaN ? 0 : UInt8((min(max(value, 0), 1) * 255).rounded()) }
        let scanlines = PNGFilter.filteredScanlines(bytes, rowBytes: image.width * image.channels, height: image.height,
                                                    bytesPerPixel: image.channels)
        var header: [UInt8] = []
        appendBigEndian(UInt32(image.width), to: &header)
        appendBigEndian(UInt32(image.height), to: &header)
        header += [8, image.channels == 1 ? 0 : 2, 0, 0, 0]   // depth, colour type, compression, filter, interlace
        var file = signature
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", zlibStream(scanlines), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// The zlib stream (RFC 1950 §2.2) of `bytes`: CMF 0x78 (deflate, 32 KiB window) and FLG 0x9C (default
    /// level, no preset dictionary, FCHECK making 0x789C a multiple of 31), the raw DEFLATE stream, and
    /// the Adler-32 of `bytes`, big-endian.
    static func zlibStream(_ bytes: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x9C]
        stream += Deflate.deflate(bytes)
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
