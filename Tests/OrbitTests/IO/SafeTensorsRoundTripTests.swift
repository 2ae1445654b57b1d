import Foundation
import Orbit
import Testing

// Writing then reading gives back the same names, order, shapes, dtypes, element bits and metadata.

private let shapes: [[Int]] = [[], [0], [1], [7], [2, 3], [3, 0, 2], [2, 3, 4], [1, 1, 1, 1, 5]]

@Test(arguments: DType.allCases, shapes)
func roundTripKeepsEveryElementBitForBit(dtype: DType, shape: [Int]) throws {
    let tensor = sampleTensor(dtype: dtype, shape: shape)
    let decoded = try SafeTensors.decode(try SafeTensors.encode([("t", tensor)]))
    #expect(decoded.names == ["t"])
    #expect(decoded.metadata.isEmpty)
    expectIdentical(try #require(decoded["t"]), tensor, "\(dtype) \(shape)")
}

@Test func roundTripKeepsTheGivenOrderIncludingEmptyTensors() throws {
    let names = ["z", "empty1", "a", "m", "empty2", "empty3", "b"]
    let tensors = names.enumerated().map { index, name in
        (name: name, tensor: sampleTensor(dtype: DType.allCases[index % 4], shape: name.hasPrefix("empty") ? [0, 2] : [index + 1]))
    }
    let decoded = try SafeTensors.decode(try SafeTensors.encode(tensors))
    #expect(decoded.names == names)
    for (original, read) in zip(tensors, decoded.tensors) { expectIdentical(read.tensor, original.tensor, original.name) }
}

@Test func metadataRoundTripsWithEscapesAndUnicode() throws {
    let metadata = [
        "epoch": "12", "empty": "", "quote\"and\\backslash": "tab\there\nnewline",
        "control": "\u{01}\u{1F}", "unicode": "café ∑ 😀", "__metadata__": "allowed as a metadata key",
    ]
    let decoded = try SafeTensors.decode(try SafeTensors.encode([], metadata: metadata))
    #expect(decoded.metadata == metadata)
    #expect(decoded.tensors.isEmpty)
}

@Test func namesWithEscapesAndUnicodeRoundTrip() throws {
    let names = ["layer.0/weight", "with \"quotes\"", "back\\slash", "ünïcödé 😀", "", "new\nline"]
    let tensors = names.map { (name: $0, tensor: sampleTensor(dtype: .float32, shape: [2])) }
    #expect(try SafeTensors.decode(try SafeTensors.encode(tensors)).names == names)
}

@Test func headerIsPaddedSoTheDataStartsAtAMultipleOfEight() throws {
    for nameLength in 1...9 {
        let bytes = try SafeTensors.encode([(String(repeating: "n", count: nameLength), Tensor([1] as [Float], shape: [1]))])
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect((8 + headerLength) % 8 == 0)
        #expect(bytes.count == 8 + headerLength + 4)
        #expect(bytes[8 + headerLength - 1] == UInt8(ascii: "}") || bytes[8 + headerLength - 1] == UInt8(ascii: " "))
    }
}

@Test func encodingIsDeterministic() throws {
    let tensors = [("w", sampleTensor(dtype: .float64, shape: [3]))]
    let metadata = ["b": "2", "a": "1", "c": "3"]
    #expect(try SafeTensors.encode(tensors, metadata: metadata) == SafeTensors.encode(tensors, metadata: metadata))
}

@Test func encodeRejectsDuplicateAndReservedNames() {
    let tensor = Tensor([1] as [Float], shape: [1])
    #expect(throws: SafeTensorsError.duplicateName("w")) {
        try SafeTensors.encode([("w", tensor), ("v", tensor), ("w", tensor)])
    }
    #expect(throws: SafeTensorsError.reservedName("__metadata__")) {
        try SafeTensors.encode([("__metadata__", tensor)])
    }
}

@Test func tensorsLargerThanOneChunkRoundTrip() throws {
    // 600,000 float64 values are 4.8 MB: several 1 MiB chunks in the encoder, and a partial last chunk.
    let values = (0..<600_000).map { Double($0) * 0.5 - 1e5 }
    let tensor = Tensor(values, shape: [600, 1000])
    let decoded = try SafeTensors.decode(try SafeTensors.encode([("big", tensor), ("small", Tensor(Int64(3)))]))
    #expect(try #require(decoded["big"]).scalars(as: Double.self) == values)
    #expect(try #require(decoded["small"]).scalars(as: Int64.self) == [3])
}

@Test func fileRoundTripThroughTheFileSystem() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-io-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("model.safetensors")
    let tensors = DType.allCases.map { (name: "\($0)", tensor: sampleTensor(dtype: $0, shape: [3, 2])) }
    try SafeTensors.write(tensors, metadata: ["step": "7"], to: url)
    // The file on disk is exactly what `encode` produces, and nothing else is left in the directory.
    #expect(Array(try Data(contentsOf: url)) == (try SafeTensors.encode(tensors, metadata: ["step": "7"])))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
    let read = try SafeTensors.read(from: url)
    #expect(read.metadata == ["step": "7"])
    #expect(read.names == tensors.map(\.name))
    for (original, decoded) in zip(tensors, read.tensors) { expectIdentical(decoded.tensor, original.tensor, original.name) }
}

@Test func readingAMissingFileNamesThePath() {
    let url = URL(fileURLWithPath: "/nonexistent-orbit-directory/model.safetensors")
    #expect(throws: SafeTensorsError.fileSystem(operation: "open", path: url.path, errorNumber: ENOENT)) {
        try SafeTensors.read(from: url)
    }
    let error = SafeTensorsError.fileSystem(operation: "open", path: url.path, errorNumber: ENOENT)
    #expect(error.description.contains("/nonexistent-orbit-directory/model.safetensors"))
    #expect(error.description.contains("No such file"))
}

@Test func readingAnEmptyFileIsAnErrorNotACrash() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-empty-\(UInt64.random(in: 0...UInt64.max)).safetensors")
    try Data().write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(throws: SafeTensorsError.fileTooShort(byteCount: 0)) { try SafeTensors.read(from: url) }
}
