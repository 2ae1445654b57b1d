/// Why a dataset could not be loaded: its files are missing, unreadable, corrupt or inconsistent.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No directory with the dataset's files was found; `searched` lists every place tried.
    case directoryNotFound(dataset: String, searched: [String])
    /// A file could not be read (missing, permissions, ...).
    case unreadableFile(path: String, reason: String)
    /// A file was read but is not valid (bad gzip stream, bad IDX header, ...).
    case corruptFile(path: String, reason: String)
    /// A file is valid but has the wrong shape, or two files disagree.
    case inconsistent(String)

    public var description: String {
        switch self {
        case let .directoryNotFound(dataset, searched):
            "\(dataset) files not found; looked in:\n" + searched.map { "  \($0)" }.joined(separator: "\n")
                + "\nRun from the package root, or pass the directory that holds the files."
        case let .unreadableFile(path, reason):
            "cannot read \(path): \(reason)"
        case let .corruptFile(path, reason):
            "\(path) is corrupt: \(reason)"
        case let .inconsistent(message):
            message
        }
    }
}
