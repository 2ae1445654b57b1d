import Foundation
import Testing

// Ctrl-C end to end: the real `OrbitTrain` and `OrbitFlows` executables (built beside the test bundle by
// `swift test`) receive SIGINT while training, save a checkpoint at the next step boundary, say how to
// resume and exit with 130. The resumed run's exactness is `ResumeTests`; this guards the signal path itself,
// which once crashed (a handler declared in main.swift was checked to run on the main thread).

/// An executable of this package, next to the running test bundle.
private func packageExecutable(_ name: String) -> URL {
    let bundle = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
    return bundle.deletingLastPathComponent().appendingPathComponent(name)
}

/// A short run of each training command, and what it prints when it stops.
private let interruptibleRuns: [(executable: String, arguments: [String], stopped: String)] = [
    ("OrbitTrain", ["--training-examples", "6400", "--test-examples", "100", "--batch-size", "32", "--epochs", "2"],
     "stopped at epoch 1"),
    ("OrbitFlows", ["--training-sequences", "400", "--test-sequences", "8", "--validation-sequences", "8", "--hidden", "4", "--epochs", "1"],
     "stopped; checkpoints saved"),
]

/// One SIGINT (Ctrl-C), or two 50 ms apart as `timeout -s INT` sends them (to the process, then to its
/// group; far enough apart that the signal handler runs twice rather than once for both): both must save
/// the checkpoint.
@Test(arguments: interruptibleRuns.indices, [1, 2])
func controlCSavesACheckpointAndExitsWith130(run: Int, signals: Int) throws {
    let (name, arguments, stopped) = interruptibleRuns[run]
    let executable = packageExecutable(name)
    try #require(FileManager.default.isExecutableFile(atPath: executable.path), "no OrbitTrain at \(executable.path)")
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-ctrl-c-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }

    let process = Process()
    process.executableURL = executable
    process.arguments = arguments + ["--threads", "1", "--output", output.path]
    let standardOutput = Pipe()
    process.standardOutput = standardOutput
    process.standardError = FileHandle.nullDevice   // progress bars; an unread pipe could fill and block the child
    try process.run()
    // A hung child must fail the test, not hang the suite.
    let watchdog = DispatchWorkItem { kill(process.processIdentifier, SIGKILL) }   // SIGTERM may be blocked in a child
    DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
    defer { watchdog.cancel() }

    // The start-up line comes after the data is loaded and the handler installed; training follows.
    var text = ""
    while !text.contains("parameters") {
        let chunk = standardOutput.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        text += String(decoding: chunk, as: UTF8.self)
    }
    try #require(text.contains("parameters"), "\(name) printed no start-up line: \(text)")
    Thread.sleep(forTimeInterval: 0.5)
    for signal in 0..<signals {
        if signal > 0 { Thread.sleep(forTimeInterval: 0.05) }
        kill(process.processIdentifier, SIGINT)
    }

    text += String(decoding: standardOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()

    #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(process.terminationReason) \(process.terminationStatus)")
    #expect(text.contains(stopped) && text.contains("continue with --resume"), "\(text)")
    let files = FileManager.default.enumerator(atPath: output.path)?.compactMap { $0 as? String } ?? []
    let checkpoints = files.filter { $0.hasSuffix(".safetensors") }
    let sizes = checkpoints.map { (try? FileManager.default.attributesOfItem(atPath: output.path + "/" + $0)[.size] as? Int) ?? 0 }
    #expect(!checkpoints.isEmpty && sizes.allSatisfy { $0 > 1_000 }, "checkpoints \(checkpoints) of \(sizes) bytes in \(output.path)")
}
