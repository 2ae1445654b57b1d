import Orbit
import Testing

// The reader on damaged input: every failure is a thrown error, never a crash or a wrong tensor.

@Test func truncationAtEveryByteThrows() throws {
    let bytes = try sampleFileBytes()
    #expect(try SafeTensors.decode(bytes).tensors.count == 5)
    for length in 0..<bytes.count {
        #expect(throws: SafeTensorsError.self, "prefix of \(length) bytes") { try SafeTensors.decode(Array(bytes[..<length])) }
    }
}

@Test func appendingAnyByteThrows() throws {
    let bytes = try sampleFileBytes()
    for extra: UInt8 in [0, 0x20, 0xFF] {
        #expect(throws: SafeTensorsError.dataSizeMismatch(coveredByteCount: 53, dataByteCount: 54)) {
            try SafeTensors.decode(bytes + [extra])
        }
    }
}

/// Re-encoding what was decoded and decoding again must give the same tensors: a decode that
/// "succeeds" with inconsistent tensors would show up here.
private func expectStableRoundTrip(_ file: SafeTensorsFile, _ context: String) throws {
    let again = try SafeTensors.decode(try SafeTensors.encode(file.tensors, metadata: file.metadata))
    #expect(again.names == file.names, "\(context)")
    #expect(again.metadata == file.metadata, "\(context)")
    for (first, second) in zip(file.tensors, again.tensors) {
        #expect(first.tensor.shape == second.tensor.shape && elementBits(first.tensor) == elementBits(second.tensor), "\(context)")
    }
}

@Test func everySingleByteMutationIsHandled() throws {
    let bytes = try sampleFileBytes()
    var accepted = 0, rejected = 0
    for position in bytes.indices {
        let original = bytes[position]
        let replacements: Set<UInt8> = [0x00, 0xFF, 0x20, 0x22, 0x5C, 0x7B, 0x39, original ^ 0x01, original ^ 0x80, original &+ 1]
        for replacement in replacements where replacement != original {
            var mutated = bytes
            mutated[position] = replacement
            let file: SafeTensorsFile
            do { file = try SafeTensors.decode(mutated) } catch {
                rejected += 1
                continue
            }
            accepted += 1
            try expectStableRoundTrip(file, "byte \(position) = \(replacement)")
        }
    }
    // Mutations of element data are mostly accepted (any bits are a valid float or integer); header
    // mutations are mostly rejected. Both must have happened for the sweep to mean something.
    #expect(accepted > 100 && rejected > 1000, "accepted \(accepted), rejected \(rejected)")
}

@Test func randomGarbageAfterAPlausibleLengthIsHandled() throws {
    var generator = SplitMix64(seed: 0x5AFE)
    for _ in 0..<2000 {
        let headerLength = Int(generator.next() % 64)
        var bytes = littleEndianBytes(UInt64(headerLength)) + [0x7B]
        let alphabet = Array(#"{}[],:"0123456789-.eE \dtypeshapedata_offsetsF32BOOLI64__metadata__"#.utf8)
        for _ in 0..<(headerLength + Int(generator.next() % 16)) {
            bytes.append(generator.next() % 4 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : alphabet[Int(generator.next() % UInt64(alphabet.count))])
        }
        guard let file = try? SafeTensors.decode(bytes) else { continue }
        try expectStableRoundTrip(file, "\(bytes)")
    }
}

/// A small, fast, seedable generator (Vigna's SplitMix64) for reproducible garbage.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
