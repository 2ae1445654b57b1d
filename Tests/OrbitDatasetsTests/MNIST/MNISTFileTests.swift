import Foundation
import Testing
@testable import OrbitDatasets

// MNIST files as users have them: uncompressed IDX files (as many downloads unpack them) are read like the
// .gz ones, and a header with the wrong dimension count names that byte instead of reading label bytes as
// dimensions (it once reported "IDX dimensions [10000, 117571840, 67175433]").

private func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-mnist-files-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// Two 28 x 28 images and their labels [7, 2], uncompressed, under the names MNIST looks for.
private func writeUncompressedTestSplit(to directory: URL, labelHeader: [UInt8] = [0, 0, 8, 1]) throws {
    let images = try IDXArray(dimensions: [2, 28, 28], elements: (0..<(2 * 784)).map { UInt8($0 % 256) })
    try Data(images.encoded()).write(to: directory.appendingPathComponent("t10k-images-idx3-ubyte"))
    let labels = try IDXArray(dimensions: [2], elements: [7, 2]).encoded()
    try Data(labelHeader + labels.dropFirst(4)).write(to: directory.appendingPathComponent("t10k-labels-idx1-ubyte"))
}

@Test func mnistReadsUncompressedFiles() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try writeUncompressedTestSplit(to: directory)
    let test = try MNIST(split: .test, directory: directory)
    #expect(test.count == 2 && test.labels == [7, 2] && test[1].pixels[0] == Float(784 % 256) / 255)
}

@Test func aWrongDimensionCountByteIsNamed() throws {
    // The labels header of t10k-labels-idx1-ubyte with its dimension-count byte set to 3 (magic 0x00000803).
    let error = try #require(throws: IDXError.self) {
        try IDXArray(decoding: [0, 0, 8, 3, 0, 0, 0x27, 0x10, 7, 2, 1, 0, 4, 1, 4, 9], expectedRank: 1)
    }
    #expect(error == .unexpectedRank(found: 3, expected: 1))
    #expect(error.description == "IDX dimension-count byte 0x03 at offset 3 (magic 0x00000803, 3 dimensions); "
            + "expected 0x01 (magic 0x00000801, 1 dimension)")

    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try writeUncompressedTestSplit(to: directory, labelHeader: [0, 0, 8, 3])
    let failure = try #require(throws: DatasetError.self) { try MNIST(split: .test, directory: directory) }
    #expect(failure.description.hasSuffix("t10k-labels-idx1-ubyte is corrupt: " + error.description), "\(failure)")
}

@Test func aMissingFileNamesBothForms() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let error = try #require(throws: DatasetError.self) { try MNIST(split: .training, directory: directory) }
    #expect(error == .unreadableFile(path: directory.appendingPathComponent("train-images-idx3-ubyte.gz").path,
                                     reason: "no such file, nor an uncompressed train-images-idx3-ubyte"))
}
