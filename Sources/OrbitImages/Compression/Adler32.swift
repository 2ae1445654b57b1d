/// The Adler-32 checksum of RFC 1950 (the zlib trailer): two sums modulo 65521, `b << 16 | a`, where
/// a = 1 + the bytes and b = the sum of the successive values of a. `Adler32.checksum(Array("Wikipedia".utf8))`
/// is 0x11E60398.
public enum Adler32 {
    /// The largest prime below 2^16.
    static let modulus: UInt32 = 65521

    /// The Adler-32 of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        var start = 0
        // 5552 bytes is the longest run whose sums cannot overflow 32 bits before the reduction (zlib's NMAX).
        while start < bytes.count {
            let end = min(start + 5552, bytes.count)
            for index in start..<end {
                a += UInt32(bytes[index])
                b += a
            }
            a %= modulus
            b %= modulus
            start = end
        }
        return b << 16 | a
    }
}
