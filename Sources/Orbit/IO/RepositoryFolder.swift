import Foundation

/// Folders that ship inside the repository (the MNIST files, the trained models), found from wherever a
/// command runs.
public enum RepositoryFolder {
    /// The places to look for `relativePath` (a path from the package root, e.g. "Sources/OrbitModels/Trained"),
    /// in order: `<start>/relativePath`, then the same under each parent of `start`, then `besideSource` (the
    /// folder as the source file that asks was compiled, for a binary run outside the package).
    public static func candidates(_ relativePath: String, from start: URL, besideSource: URL) -> [URL] {
        var candidates: [URL] = []
        var directory = start.standardizedFileURL
        while true {
            candidates.append(directory.appendingPathComponent(relativePath, isDirectory: true))
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path || parent.path.isEmpty { break }
            directory = parent
        }
        candidates.append(besideSource.standardizedFileURL)
        return candidates
    }

    /// The current working directory, where `candidates` usually starts.
    public static var workingDirectory: URL {
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    }
}
