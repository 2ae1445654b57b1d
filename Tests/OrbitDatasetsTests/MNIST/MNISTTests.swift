import Foundation
import Testing
@testable import OrbitDatasets
import OrbitImages

// Reference values computed from the original files with CPython's gzip and zlib modules, and the
// published MNIST counts (60,000 training and 10,000 test images of 28 x 28, IDX headers of 16 and 8
// bytes).

/// The test split, loaded once for all tests that read it.
let sharedTestSplit = Result { () throws(DatasetError) in try MNIST(split: .test, directory: MNIST.defaultDirectory) }

@Test func mnistFilesDecompressToTheDocumentedSizesAndChecksums() throws {
    let directory = try MNIST.defaultDirectory
    let expected: [(file: String, size: Int, crc: UInt32, storedName: String)] = [
        ("train-labels-idx1-ubyte.gz", 60_008, 0xE0CB_4AD2, "train-labels.idx1-ubyte"),
        ("t10k-images-idx3-ubyte.gz", 7_840_016, 0x9137_3BDF, "t10k-images.idx3-ubyte"),
        ("t10k-labels-idx1-ubyte.gz", 10_008, 0x4AB9_EFF9, "t10k-labels.idx1-ubyte"),
    ]
    for (file, size, crc, storedName) in expected {
        let compressed = [UInt8](try Data(contentsOf: directory.appendingPathComponent(file)))
        let members = try Gzip.members(compressed)
        #expect(members.count == 1)
        #expect(members[0].header.fileName == storedName)
        #expect(members[0].contents.count == size, "\(file)")
        #expect(CRC32.checksum(members[0].contents) == crc, "\(file)")
    }
}

@Test func mnistTrainingSplitDecodesToTheKnownLabelsAndPixels() throws {
    let training = try MNIST(split: .training, directory: MNIST.defaultDirectory)
    // 60000 x 28 x 28 elements after a 16-byte header: the 47,040,016 documented bytes.
    #expect(training.images.dimensions == [60_000, 28, 28])
    #expect(training.count == 60_000)
    #expect(Array(training.labels.prefix(4)) == [5, 0, 4, 1])
    var histogram = [Int](repeating: 0, count: 10)
    for label in training.labels { histogram[Int(label)] += 1 }
    #expect(histogram == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    #expect(training.images.elements.reduce(0) { $0 + Int($1) } == 1_567_298_545)
    // Re-encoding gives back the decompressed file, whose CRC-32 zlib computed.
    #expect(CRC32.checksum(training.images.encoded()) == 0xE9F4_D8B3)
}

@Test func mnistTestSplitAndItsExamples() throws {
    let test = try sharedTestSplit.get()
    #expect(test.count == 10_000 && test.height == 28 && test.width == 28)
    #expect(Array(test.labels.prefix(4)) == [7, 2, 1, 0])
    var histogram = [Int](repeating: 0, count: 10)
    for label in test.labels { histogram[Int(label)] += 1 }
    #expect(histogram == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    #expect(test.images.elements.reduce(0) { $0 + Int($1) } == 264_923_200)

    let first = test[0]
    #expect(first.label == 7 && first.channels == 1 && first.height == 28 && first.width == 28)
    // Row 10 of the first test image, as bytes.
    let row: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 66, 14, 67, 67, 67, 59, 21, 236, 254, 106, 0, 0, 0, 0, 0, 0]
    #expect(Array(first.pixels[280..<308]) == row.map { Float($0) / 255 })
    #expect(first.pixels.max() == 1 && first.pixels.min() == 0)
    #expect(test[9_999].label == Int(test.labels[9_999]))
}

@Test func mnistRejectsInconsistentFiles() throws {
    let images = try IDXArray(dimensions: [2, 28, 28], elements: [UInt8](repeating: 0, count: 2 * 784))
    #expect(throws: DatasetError.inconsistent("MNIST has 2 images but 3 labels")) {
        try MNIST(images: images, labels: IDXArray(dimensions: [3], elements: [1, 2, 3]))
    }
    #expect(throws: DatasetError.inconsistent("MNIST label 10 at index 1 is not a digit 0...9")) {
        try MNIST(images: images, labels: IDXArray(dimensions: [2], elements: [1, 10]))
    }
    #expect(throws: DatasetError.inconsistent("MNIST images must have dimensions [count, height, width], got [2, 784]")) {
        try MNIST(images: IDXArray(dimensions: [2, 784], elements: images.elements),
                  labels: IDXArray(dimensions: [2], elements: [1, 2]))
    }
}

@Test func mnistReportsMissingAndCorruptFilesByPath() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-mnist-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = try #require(throws: DatasetError.self) { try MNIST(split: .test, directory: directory) }
    guard case let .unreadableFile(path, _) = missing else { Issue.record("got \(missing)"); return }
    #expect(path.hasSuffix("t10k-images-idx3-ubyte.gz"))

    try Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0x07]).write(to: directory.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
    let corrupt = try #require(throws: DatasetError.self) { try MNIST(split: .test, directory: directory) }
    #expect(corrupt.description.hasSuffix("t10k-images-idx3-ubyte.gz is corrupt: invalid block type 3 at byte 10"))
}

@Test func mnistDirectoryIsFoundFromAnywhereInsideThePackage() throws {
    let fromRoot = try MNIST.defaultDirectory
    #expect(fromRoot.path.hasSuffix(MNIST.repositoryPath))
    let fromInside = try MNIST.locateDirectory(from: fromRoot.appendingPathComponent("../../MNIST"))
    #expect(fromInside.standardizedFileURL.path == fromRoot.standardizedFileURL.path)
    let message = DatasetError.directoryNotFound(dataset: "MNIST", searched: ["/a/Sources", "/Sources"]).description
    #expect(message == "MNIST files not found; looked in:\n  /a/Sources\n  /Sources\nRun from the package root, or pass the directory that holds the files.")
}
