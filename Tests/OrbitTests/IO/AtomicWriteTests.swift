@testable import Orbit
import Foundation
import Testing

// `SafeTensors.write` replaces a file atomically. Each exit test writes a new checkpoint in a child
// process that kills itself with SIGKILL at one step of the replacement; the parent then checks that
// the destination still loads, as the old checkpoint before the rename and the new one after it.

private func makeDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("orbit-atomic-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// A checkpoint-like file: parameters, optimizer state and a step counter, tagged with `version`.
private func checkpoint(_ version: Int) -> [(name: String, tensor: Tensor)] {
    [("model.weight", Tensor((0..<300_000).map { Float($0 % 97) + Float(version) }, shape: [300, 1000])),
     ("optimizer.moment", Tensor([Double](repeating: Double(version), count: 1000), shape: [1000])),
     ("step", Tensor(Int64(version)))]
}

private func expectCheckpoint(at url: URL, version: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let file = try SafeTensors.read(from: url)
    #expect(file.metadata == ["version": "\(version)"], sourceLocation: sourceLocation)
    #expect(file.names == ["model.weight", "optimizer.moment", "step"], sourceLocation: sourceLocation)
    for (read, written) in zip(file.tensors, checkpoint(version)) {
        expectIdentical(read.tensor, written.tensor, read.name, sourceLocation: sourceLocation)
    }
}

private func strayTemporaryFiles(in directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
}

private func write(_ bytes: ArraySlice<UInt8>, to output: AtomicFile.Output) throws(SafeTensorsError) {
    // `withUnsafeBytes` rethrows untyped errors; carry the typed error out through a Result.
    try bytes.withUnsafeBytes { buffer in Result { () throws(SafeTensorsError) in try output.write(buffer) } }.get()
}

@Test(arguments: AtomicFile.Step.allCases)
func killedWriterLeavesTheOldOrTheNewFile(step: AtomicFile.Step) async throws {
    let directory = try makeDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("checkpoint.safetensors")
    try SafeTensors.write(checkpoint(1), metadata: ["version": "1"], to: url)

    let path = url.path, stepName = step.rawValue
    await #expect(processExitsWith: .signal(SIGKILL)) { [path = path as String, stepName = stepName as String] in
        try SafeTensors.write(checkpoint(2), metadata: ["version": "2"], to: URL(fileURLWithPath: path)) { reached in
            if reached.rawValue == stepName { kill(getpid(), SIGKILL) }
        }
    }

    let renamed = step == .renamed || step == .directorySynchronized
    try expectCheckpoint(at: url, version: renamed ? 2 : 1)
    #expect(try strayTemporaryFiles(in: directory).count == (renamed ? 0 : 1))
    // A stray temporary file does not get in the way of the next write.
    try SafeTensors.write(checkpoint(3), metadata: ["version": "3"], to: url)
    try expectCheckpoint(at: url, version: 3)
}

@Test func writerKilledHalfwayThroughTheDataLeavesTheOldFile() async throws {
    let directory = try makeDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("checkpoint.safetensors")
    try SafeTensors.write(checkpoint(1), metadata: ["version": "1"], to: url)

    let path = url.path
    await #expect(processExitsWith: .signal(SIGKILL)) { [path = path as String] in
        let bytes = try SafeTensors.encode(checkpoint(2), metadata: ["version": "2"])
        try AtomicFile.replace(URL(fileURLWithPath: path), observer: nil) { (output) throws(SafeTensorsError) in
            try write(bytes[..<(bytes.count / 2)], to: output)
            kill(getpid(), SIGKILL)
        }
    }

    try expectCheckpoint(at: url, version: 1)
    // The half-written temporary file is there, and the reader refuses it.
    let stray = try #require(try strayTemporaryFiles(in: directory).first)
    #expect(stray.hasPrefix(".checkpoint.safetensors."))
    #expect(throws: SafeTensorsError.self) { try SafeTensors.read(from: directory.appendingPathComponent(stray)) }
}

@Test func failedWriteRemovesItsTemporaryFileAndKeepsTheOldFile() throws {
    let directory = try makeDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("checkpoint.safetensors")
    try SafeTensors.write(checkpoint(1), metadata: ["version": "1"], to: url)
    let failure = SafeTensorsError.fileSystem(operation: "write", path: "simulated", errorNumber: ENOSPC)
    #expect(throws: failure) {
        try AtomicFile.replace(url, observer: nil) { (output) throws(SafeTensorsError) in
            try write(Array("partial".utf8)[...], to: output)
            throw failure
        }
    }
    try expectCheckpoint(at: url, version: 1)
    #expect(try strayTemporaryFiles(in: directory).isEmpty)
}

@Test func writingIntoAMissingDirectoryNamesTheTemporaryPath() throws {
    let url = URL(fileURLWithPath: "/nonexistent-orbit-directory/model.safetensors")
    do {
        try SafeTensors.write([("x", Tensor(Float(1)))], to: url)
        Issue.record("write into a missing directory succeeded")
    } catch {
        guard case .fileSystem(let operation, let path, let errorNumber) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(operation == "create" && errorNumber == ENOENT)
        #expect(path.hasPrefix("/nonexistent-orbit-directory/.model.safetensors.") && path.hasSuffix(".tmp"))
    }
}
