import Foundation
import OrbitImages

/// The MNIST handwritten digits (LeCun, Cortes and Burges): 60,000 training and 10,000 test images of
/// 28x28 grey levels with labels 0...9, as a random-access collection of `LabeledImage`s.
///
/// ```swift
/// let training = try MNIST(split: .training, directory: MNIST.defaultDirectory)
/// let example = training[0]      // pixels: 784 Floats in [0, 1] (byte / 255), CHW [1, 28, 28]; label 5
/// ```
/// The raw bytes stay in memory (47 MB for the training split); each example is converted when it is
/// accessed, so the collection is cheap to shuffle and batch (see `DataLoader`).
public struct MNIST: RandomAccessCollection, Sendable {
    /// Which of the two sets of files.
    public enum Split: String, Sendable, CaseIterable {
        case training, test

        /// The gzip-compressed IDX files, as named on LeCun's page. The uncompressed files (the same names
        /// without `.gz`) are read too, when the compressed ones are absent.
        public var fileNames: (images: String, labels: String) {
            switch self {
            case .training: ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
            case .test: ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
            }
        }
    }

    /// Number of digit classes.
    public static let classCount = 10

    /// Grey levels, IDX dimensions `[count, height, width]` (MNIST: `[N, 28, 28]`), 0 = background.
    public let images: IDXArray
    /// One label per image, each in 0 ..< `classCount`.
    public let labels: [UInt8]

    /// Loads a split from `directory` (`train-images-idx3-ubyte.gz`, ... as named in `Split.fileNames`,
    /// or the same files uncompressed, without `.gz`).
    ///
    /// Throws `DatasetError` naming the file when one is missing or corrupt (bad gzip stream, CRC
    /// mismatch, bad IDX header: images must have 3 dimensions and labels 1), or when images and labels disagree.
    public init(split: Split, directory: URL) throws(DatasetError) {
        let names = split.fileNames
        let images = try MNIST.readIDX(MNIST.file(names.images, in: directory), rank: 3)
        let labels = try MNIST.readIDX(MNIST.file(names.labels, in: directory), rank: 1)
        try self.init(images: images, labels: labels)
    }

    /// `directory/name` (a `.gz` name), or the uncompressed file (the name without `.gz`) when only that
    /// exists. Throws `.unreadableFile` naming both when neither does.
    static func file(_ name: String, in directory: URL) throws(DatasetError) -> URL {
        let compressed = directory.appendingPathComponent(name)
        let plain = compressed.deletingPathExtension()
        if FileManager.default.fileExists(atPath: compressed.path) { return compressed }
        if FileManager.default.fileExists(atPath: plain.path) { return plain }
        throw .unreadableFile(path: compressed.path, reason: "no such file, nor an uncompressed \(plain.lastPathComponent)")
    }

    /// A dataset from decoded IDX arrays: images `[N, height, width]`, labels `[N]` with values 0...9.
    public init(images: IDXArray, labels: IDXArray) throws(DatasetError) {
        guard images.dimensions.count == 3 else {
            throw .inconsistent("MNIST images must have dimensions [count, height, width], got \(images.dimensions)")
        }
        guard labels.dimensions.count == 1 else {
            throw .inconsistent("MNIST labels must have dimensions [count], got \(labels.dimensions)")
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw .inconsistent("MNIST has \(images.dimensions[0]) images but \(labels.dimensions[0]) labels")
        }
        if let index = labels.elements.firstIndex(where: { $0 >= MNIST.classCount }) {
            throw .inconsistent("MNIST label \(labels.elements[index]) at index \(index) is not a digit 0...9")
        }
        self.images = images
        self.labels = labels.elements
    }

    /// Image height in pixels (28).
    public var height: Int { images.dimensions[1] }
    /// Image width in pixels (28).
    public var width: Int { images.dimensions[2] }

    public var startIndex: Int { 0 }
    public var endIndex: Int { labels.count }

    /// Example `index`: CHW pixels `[1, height, width]` as byte / 255, and its digit.
    public subscript(index: Int) -> LabeledImage {
        let pixelCount = height * width
        let start = index * pixelCount
        let pixels = images.elements[start..<(start + pixelCount)].map { Float($0) / 255 }
        return LabeledImage(pixels: pixels, channels: 1, height: height, width: width, label: Int(labels[index]))
    }

    /// Reads a gzip-compressed or plain IDX file (told apart by the gzip magic bytes 1f 8b, whatever the
    /// name), which must have `rank` dimensions when given.
    static func readIDX(_ url: URL, rank: Int? = nil) throws(DatasetError) -> IDXArray {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        do {
            let contents = bytes.starts(with: [0x1F, 0x8B]) ? try Gzip.decompress(bytes) : bytes
            return try IDXArray(decoding: contents, expectedRank: rank)
        } catch let error as CompressionError {
            throw .corruptFile(path: url.path, reason: error.description)
        } catch let error as IDXError {
            throw .corruptFile(path: url.path, reason: error.description)
        } catch {
            throw .corruptFile(path: url.path, reason: "\(error)")
        }
    }
}
