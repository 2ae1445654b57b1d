import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file replacement and whole-file reads, with POSIX calls.
///
/// `replace` writes the new contents to a temporary file in the destination's directory, `fsync`s it,
/// `rename`s it over the destination (atomic within one file system), then `fsync`s the directory so
/// that the rename itself survives a power loss. A process killed at any step leaves the destination
/// either untouched or complete; at worst a stray `.<name>.<pid>.<random>.tmp` file remains beside it.
/// The new file gets default permissions (0666 less the umask), not those of the file it replaces.
enum AtomicFile {
    /// The steps of `replace`, reported to an observer in this order (tests stop the process at each).
    enum Step: String, CaseIterable, Sendable {
        case temporaryFileCreated, contentsWritten, contentsSynchronized, renamed, directorySynchronized
    }

    /// An open file being written.
    struct Output {
        fileprivate let descriptor: Int32
        fileprivate let path: String

        /// Writes all of `bytes`, retrying short writes and interrupted calls.
        func write(_ bytes: UnsafeRawBufferPointer) throws(SafeTensorsError) {
            var done = 0
            while done < bytes.count {
                guard let base = bytes.baseAddress else { return }
                let written = systemWrite(descriptor, base + done, bytes.count - done)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw .fileSystem(operation: "write", path: path, errorNumber: errno)
                }
                done += written
            }
        }
    }

    /// Replaces the file at `url` with what `produce` writes, atomically.
    static func replace(_ url: URL, observer: ((Step) -> Void)?,
                        produce: (Output) throws(SafeTensorsError) -> Void) throws(SafeTensorsError) {
        let destination = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw .fileSystem(operation: "create", path: temporary, errorNumber: errno) }
        observer?(.temporaryFileCreated)
        do throws(SafeTensorsError) {
            try produce(Output(descriptor: descriptor, path: temporary))
            observer?(.contentsWritten)
            guard fsync(descriptor) == 0 else { throw .fileSystem(operation: "fsync", path: temporary, errorNumber: errno) }
            observer?(.contentsSynchronized)
            guard close(descriptor) == 0 else { throw .fileSystem(operation: "close", path: temporary, errorNumber: errno) }
        } catch {
            _ = close(descriptor)  // harmless (EBADF) when the failure was close itself
            _ = unlink(temporary)
            throw error
        }
        guard rename(temporary, destination) == 0 else {
            let renameError = errno
            _ = unlink(temporary)
            throw .fileSystem(operation: "rename to \(destination)", path: temporary, errorNumber: renameError)
        }
        observer?(.renamed)
        synchronizeDirectory(directory.isEmpty ? "." : directory)
        observer?(.directorySynchronized)
    }

    /// Makes a rename in `directory` durable. Best effort: some file systems cannot sync a directory,
    /// and by now the new file is in place, so a failure here is not reported.
    private static func synchronizeDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }

    /// Maps the regular file at `url` read-only and calls `body` with its bytes, which are valid only
    /// during the call. (A file truncated by another process while mapped would fault; the atomic
    /// writer above never truncates a file in place.)
    static func withMappedContents<Result>(of url: URL,
                                           _ body: (UnsafeRawBufferPointer) throws(SafeTensorsError) -> Result)
        throws(SafeTensorsError) -> Result {
        let path = url.path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .fileSystem(operation: "open", path: path, errorNumber: errno) }
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .fileSystem(operation: "stat", path: path, errorNumber: errno) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .fileSystem(operation: "read (not a regular file)", path: path, errorNumber: EINVAL)
        }
        let byteCount = Int(status.st_size)
        guard byteCount > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        guard let mapping = mmap(nil, byteCount, PROT_READ, MAP_PRIVATE, descriptor, 0),
              mapping != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw .fileSystem(operation: "mmap", path: path, errorNumber: errno)
        }
        defer { _ = munmap(mapping, byteCount) }
        return try body(UnsafeRawBufferPointer(start: mapping, count: byteCount))
    }
}

/// The C library's `write`, which the method `Output.write` would otherwise shadow.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
