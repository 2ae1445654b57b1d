import Foundation

/// SHA-256 (FIPS 180-4, section 6.2): the 32-byte digest that pins a shipped file's exact bytes.
///
/// The message is padded to a multiple of 512 bits (a 1 bit, zeros, then the message length in bits as a
/// 64-bit big-endian integer, so that the padded length is ≡ 0 mod 512) and split into 64-byte blocks
/// M⁽¹⁾…M⁽ᴺ⁾. Each block updates the eight 32-bit words H₀…H₇ (initially `initialHash`) by 64 rounds of
///
///     T₁ = h + Σ₁(e) + Ch(e, f, g) + Kₜ + Wₜ,   T₂ = Σ₀(a) + Maj(a, b, c)
///     h = g, g = f, f = e, e = d + T₁, d = c, c = b, b = a, a = T₁ + T₂
///
/// over the message schedule Wₜ (the block's 16 big-endian words, then
/// Wₜ = σ₁(Wₜ₋₂) + Wₜ₋₇ + σ₀(Wₜ₋₁₅) + Wₜ₋₁₆), all additions mod 2³², and adds a…h into H₀…H₇.
/// The digest is H₀…H₇ written big-endian. Incremental use gives the digest of the concatenation:
///
/// ```swift
/// var hasher = SHA256()
/// hasher.update(Array("ab".utf8))
/// hasher.update(Array("c".utf8))
/// SHA256.hexString(hasher.finalize())  // == SHA256.hexDigest(of: Data("abc".utf8)), "ba7816bf…"
/// ```
public struct SHA256: Sendable {
    /// The digest's length in bytes.
    public static let digestByteCount = 32

    /// H₀…H₇ so far.
    private var state: [UInt32] = SHA256.initialHash
    /// The bytes of an incomplete block (fewer than 64).
    private var pending: [UInt8] = []
    /// The message length so far, in bytes.
    private var byteCount: UInt64 = 0

    /// A hasher of the empty message.
    public init() { pending.reserveCapacity(64) }

    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: some Collection<UInt8>) {
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if contiguous == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// Appends raw `bytes` to the message: whole blocks are compressed in place, the rest is kept.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        byteCount &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let taken = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<taken]))
            offset = taken
            guard pending.count == 64 else { return }
            let block = pending
            block.withUnsafeBytes { SHA256.compress(&state, block: $0) }
            pending.removeAll(keepingCapacity: true)
        }
        while bytes.count - offset >= 64 {
            SHA256.compress(&state, block: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 64)]))
            offset += 64
        }
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
    }

    /// The 32-byte digest of everything passed to `update` so far (the hasher itself is unchanged, so
    /// it can go on hashing a longer message).
    public func finalize() -> [UInt8] {
        var padded = self
        let bitLength = byteCount &* 8
        let zeroCount = (55 - Int(byteCount % 64) + 64) % 64  // 1 + zeroCount + 8 completes the last block
        var tail: [UInt8] = [0x80] + repeatElement(0, count: zeroCount)
        tail += (0..<8).map { UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * $0)) }
        padded.update(tail)
        precondition(padded.pending.isEmpty, "SHA256.finalize: padding left \(padded.pending.count) bytes of a block")
        return padded.state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
    }

    /// The digest of `bytes` (32 bytes).
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `data` as 64 lowercase hex digits (as `sha256sum` prints it).
    public static func hexDigest(of data: Data) -> String { hexString(hash(data)) }

    /// The digest of the file at `url` as 64 lowercase hex digits, read `chunkSize` bytes at a time
    /// (the file is never held in memory whole). Foundation's error (naming the path) when it cannot be read.
    public static func hexDigest(ofFileAt url: URL, chunkSize: Int = 1 << 20) throws -> String {
        precondition(chunkSize > 0, "SHA256.hexDigest(ofFileAt:): chunk size \(chunkSize) must be positive")
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty { hasher.update(chunk) }
        return hexString(hasher.finalize())
    }

    /// `bytes` as lowercase hex digits, two per byte.
    public static func hexString(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: text, as: UTF8.self)
    }

    /// One block (64 bytes) of the computation above: the schedule W₀…W₆₃, 64 rounds, the additions into H.
    private static func compress(_ state: inout [UInt32], block: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for t in 0..<16 { w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self)) }
            for t in 16..<64 {
                let sigma0 = rotateRight(w[t - 15], 7) ^ rotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let sigma1 = rotateRight(w[t - 2], 17) ^ rotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = sigma1 &+ w[t - 7] &+ sigma0 &+ w[t - 16]
            }
            var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
            for t in 0..<64 {
                let bigSigma1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
                let choice = (e & f) ^ (~e & g)
                let t1 = h &+ bigSigma1 &+ choice &+ roundConstants[t] &+ w[t]
                let bigSigma0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let t2 = bigSigma0 &+ majority
                (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            for (index, word) in [a, b, c, d, e, f, g, h].enumerated() { state[index] &+= word }
        }
    }

    /// ROTRⁿ(x): x rotated right by n bits (0 < n < 32).
    @inline(__always)
    private static func rotateRight(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// H⁽⁰⁾ (FIPS 180-4 §5.3.3): the first 32 bits of the fractional parts of the square roots of the
    /// first 8 primes.
    static let initialHash: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]

    /// K₀…K₆₃ (FIPS 180-4 §4.2.2): the first 32 bits of the fractional parts of the cube roots of the
    /// first 64 primes.
    static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}
