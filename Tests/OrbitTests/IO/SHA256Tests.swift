import Foundation
import Testing
@testable import Orbit

// SHA-256 against the FIPS 180-4 example messages (the NIST "Example Algorithm" vectors), against
// digests printed by `sha256sum` (GNU coreutils) for messages whose padding starts or ends at a block
// boundary, and the file reader against the in-memory digest.

@Test func standardVectors() {
    #expect(SHA256.hexDigest(of: Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hexDigest(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    // 448 bits: the padding's 1 bit fits in the first block, the length does not (two blocks).
    #expect(SHA256.hexDigest(of: Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(SHA256.hash(Array("abc".utf8)).count == SHA256.digestByteCount)
}

@Test func oneMillionAsInUnevenIncrements() {
    var hasher = SHA256()
    let sizes = [1, 63, 64, 65, 1000, 7, 128, 4097, 0, 33]
    var (fed, index) = (0, 0)
    while fed < 1_000_000 {
        let size = min(sizes[index % sizes.count], 1_000_000 - fed)
        hasher.update(repeatElement(UInt8(ascii: "a"), count: size))  // not contiguous: the copying path
        fed += size
        index += 1
    }
    #expect(SHA256.hexString(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    // finalize leaves the hasher as it was: hashing can go on.
    hasher.update(Data())
    #expect(SHA256.hexString(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

/// Lengths around the padding's limits: 55 bytes leave room for exactly 0x80 and the length in one
/// block, 56 bytes need a second block, 63/64/65 straddle the block boundary.
/// Expected digests from `printf '%s' "$M" | head -c N | sha256sum` with M the sentence below.
@Test(arguments: [
    (55, "35747563c4424be0ce80e1c404b12a14a07437e6d4ee08fc47b095b970030d55"),
    (56, "3c0bddbdb6b0e02543f52b361f7006a7f9ceab44fc56c40ab52498cef2b9bc2d"),
    (63, "12832d7ee9aa57fea960e0810c9b2e2695f56af752f562e65b1f68bffac4819a"),
    (64, "6bebf8c38c3910757ff0d6225d1652cc243bc5bbd4073e4580b595e27a066f25"),
    (65, "e9cfdfc9dc41e853ce04a1448a81ec2d3d71584b4b90b927cebc1921203e8d1e"),
])
func paddingEdgesMatchSha256sum(length: Int, expected: String) {
    let message = Array("The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs!".utf8)
    #expect(SHA256.hexString(SHA256.hash(message.prefix(length))) == expected)
    // The same message fed one byte at a time.
    var hasher = SHA256()
    for byte in message.prefix(length) { hasher.update(CollectionOfOne(byte)) }
    #expect(SHA256.hexString(hasher.finalize()) == expected)
}

@Test func fileDigestEqualsInMemoryDigest() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-sha256-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var generator = SystemRandomNumberGenerator()
    // Over one default chunk (1 MiB) and not a multiple of 64; a small one; an empty one.
    for count in [(1 << 20) + 12_345, 1000, 0] {
        let data = Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let url = directory.appendingPathComponent("file-\(count).bin")
        try data.write(to: url)
        let expected = SHA256.hexDigest(of: data)
        #expect(try SHA256.hexDigest(ofFileAt: url) == expected, "\(count) bytes, 1 MiB chunks")
        #expect(try SHA256.hexDigest(ofFileAt: url, chunkSize: 1000) == expected, "\(count) bytes, 1000-byte chunks")
    }
    #expect(throws: (any Error).self) { try SHA256.hexDigest(ofFileAt: directory.appendingPathComponent("missing")) }
}

/// The constant tables against their definition (fractional parts of square and cube roots of primes),
/// computed in Double: 32 of the ~50 fractional bits, far from a rounding boundary for these primes.
@Test func constantsFollowTheirDefinition() {
    var primes: [Int] = []
    var candidate = 2
    while primes.count < 64 {
        if !primes.contains(where: { candidate % $0 == 0 }) { primes.append(candidate) }
        candidate += 1
    }
    func fractionBits(_ root: Double) -> UInt32 { UInt32((root - root.rounded(.down)) * 4_294_967_296) }
    #expect(SHA256.initialHash == primes.prefix(8).map { fractionBits(Double($0).squareRoot()) })
    #expect(SHA256.roundConstants == primes.map { fractionBits(cbrt(Double($0))) })
}
