import Foundation
import Orbit

extension MNIST {
    /// Where the MNIST files ship, relative to the package root.
    public static let repositoryPath = "Sources/OrbitDatasets/Data/MNIST"

    /// The directory of the MNIST files that ship with Orbit.
    ///
    /// Looks for `Sources/OrbitDatasets/Data/MNIST` under the current directory and each of its parents
    /// (so a command run anywhere inside the package finds it), then beside this source file as it was
    /// compiled. Throws `DatasetError.directoryNotFound` listing every place it looked.
    public static var defaultDirectory: URL {
        get throws(DatasetError) {
            try locateDirectory(from: RepositoryFolder.workingDirectory)
        }
    }

    /// The first `<ancestor>/Sources/OrbitDatasets/Data/MNIST` holding the training images (compressed or
    /// not), searching `start` and its parents, then the directory beside this source file.
    public static func locateDirectory(from start: URL) throws(DatasetError) -> URL {
        // This file is Sources/OrbitDatasets/MNIST/MNIST+Directory.swift; the data is two levels up.
        let besideSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Data/MNIST", isDirectory: true)
        let candidates = RepositoryFolder.candidates(repositoryPath, from: start, besideSource: besideSource)
        let marker = Split.training.fileNames.images
        for candidate in candidates where (try? MNIST.file(marker, in: candidate)) != nil {
            return candidate
        }
        throw .directoryNotFound(dataset: "MNIST", searched: candidates.map(\.path))
    }
}
