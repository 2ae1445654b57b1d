import Foundation

/// The exit statuses of every Orbit executable.
public enum ExitStatus {
    /// The command did what was asked (also `--help`).
    public static let success: Int32 = 0
    /// A failure while running: a file that cannot be read or written, a corrupt data file, a checkpoint
    /// that cannot be resumed.
    public static let failure: Int32 = 1
    /// The command line is wrong: an unknown option, a missing or out-of-range value.
    public static let usage: Int32 = 2
    /// Stopped by Ctrl-C (after saving a checkpoint, where the command trains).
    public static let interrupted: Int32 = 130
}

/// An error that means the command line itself is wrong; commands exit with `ExitStatus.usage` (2).
public protocol UsageError: Error {}

extension ArgumentError: UsageError {}

/// How a command ends on an error: one message for standard error and the exit status.
///
/// Usage errors (`UsageError`) give `"<command>: <what was wrong>"`, then `"Try --help."`, status 2.
/// Anything else is a runtime failure, status 1; Foundation file errors are reduced to one line naming
/// the path and the reason (`cannot write /proc/x/y (--output): No such file or directory`) instead of
/// an `NSCocoaErrorDomain` dump.
public struct CommandFailure: Equatable, Sendable {
    public let message: String
    public let status: Int32

    public init(message: String, status: Int32) { (self.message, self.status) = (message, status) }

    /// The failure for `error` in `command`. With `arguments`, a file path given as an option's value
    /// (or inside it) is followed by that option's name.
    public init(_ error: any Error, command: String, arguments: Arguments? = nil) {
        if error is any UsageError {
            (message, status) = ("\(command): \(error)\nTry --help.", ExitStatus.usage)
        } else {
            let text = CommandFailure.fileErrorText(error, arguments: arguments) ?? "\(error)"
            (message, status) = ("\(command): \(text)", ExitStatus.failure)
        }
    }

    /// Prints the failure for `error` on standard error and exits with its status.
    public static func exit(_ error: any Error, command: String, arguments: Arguments? = nil) -> Never {
        let failure = CommandFailure(error, command: command, arguments: arguments)
        FileHandle.standardError.write(Data((failure.message + "\n").utf8))
        Foundation.exit(failure.status)
    }

    /// "cannot <read|write|access> <path> [(--option)]: <reason>" for a Foundation file error, else nil.
    static func fileErrorText(_ error: any Error, arguments: Arguments?) -> String? {
        let error = error as NSError
        guard error.domain == NSCocoaErrorDomain else { return nil }
        let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        guard let path else { return nil }
        let verb = switch error.code {
        case 256..<512: "read"     // NSFileReadUnknownError ... the read errors
        case 512..<768: "write"    // NSFileWriteUnknownError ... the write errors
        default: "access"          // e.g. NSFileNoSuchFileError (4), from creating a directory
        }
        let option = arguments?.option(involving: path).map { name, value in value == path ? " (--\(name))" : " (--\(name) \(value))" } ?? ""
        return "cannot \(verb) \(path)\(option): \(reason(error))"
    }

    /// The POSIX reason underneath a Foundation error ("Permission denied"), else a short reason for
    /// the common codes, else the error's own description.
    private static func reason(_ error: NSError) -> String {
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        let posix: Int32? = switch error.code {
        case 4, 260: ENOENT        // NSFileNoSuchFileError, NSFileReadNoSuchFileError
        case 257, 513: EACCES      // NSFileReadNoPermissionError, NSFileWriteNoPermissionError
        case 516: EEXIST           // NSFileWriteFileExistsError
        case 640: ENOSPC           // NSFileWriteOutOfSpaceError
        case 642: EROFS            // NSFileWriteVolumeReadOnlyError
        default: nil
        }
        return posix.map { String(cString: strerror($0)) } ?? error.localizedDescription
    }
}

extension Arguments {
    /// The option given as `path`, as a directory containing it, or as a path inside it (`path` is then a
    /// directory being created for it), with its value as given; nil when no option involves `path`.
    func option(involving path: String) -> (name: String, value: String)? {
        func standardized(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        func isInside(_ inner: String, _ outer: String) -> Bool { inner == outer || inner.hasPrefix(outer.hasSuffix("/") ? outer : outer + "/") }
        let target = standardized(path)
        for option in options where !option.isFlag && isGiven(option.name) {
            guard let value = try? value(option.name, as: String.self), !value.isEmpty else { continue }
            let given = standardized(value)
            if isInside(target, given) || isInside(given, target) { return (option.name, value) }
        }
        return nil
    }
}

/// `--resume` with nothing to resume from.
public struct MissingCheckpointError: Error, CustomStringConvertible, Equatable {
    /// Where checkpoints were looked for.
    public let searched: [String]

    public var description: String {
        let places = searched.count == 1 ? searched[0] : "any of " + searched.joined(separator: ", ")
        return "cannot resume: no checkpoint at \(places); run without --resume to start afresh"
    }

    /// Throws unless at least one of `checkpoints` exists. A run of several models resumes when any of
    /// them has saved a checkpoint (the others have not started yet); with none, `--resume` is a mistake.
    public static func requireAny(of checkpoints: [URL]) throws(MissingCheckpointError) {
        guard !checkpoints.contains(where: { FileManager.default.fileExists(atPath: $0.path) }) else { return }
        throw MissingCheckpointError(searched: checkpoints.map(\.path))
    }
}
