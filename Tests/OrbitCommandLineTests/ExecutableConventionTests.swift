import Foundation
import Testing

// The command-line convention end to end, on the executables `swift test` builds beside the test bundle:
// `--help` everywhere (stdout, exit 0); usage errors on stderr naming the option and its accepted values
// (exit 2) before any work starts; runtime failures as one line (exit 1). Each run takes well under a second,
// except the --output one, which loads MNIST first.

/// An executable of this package, next to the running test bundle.
private func packageExecutable(_ name: String) -> URL {
    let bundle = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
    return bundle.deletingLastPathComponent().appendingPathComponent(name)
}

/// Runs `name` with `arguments`; its exit status, standard output and standard error.
private func run(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    let executable = packageExecutable(name)
    try #require(FileManager.default.isExecutableFile(atPath: executable.path), "no \(name) at \(executable.path)")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let (output, error) = (Pipe(), Pipe())
    (process.standardOutput, process.standardError) = (output, error)
    try process.run()
    // A hung child fails the test instead of hanging the suite. SIGKILL: the child inherits the test thread's
    // signal mask, in which SIGTERM (`Process.terminate()`) is blocked.
    let processIdentifier = process.processIdentifier
    let watchdog = DispatchWorkItem { kill(processIdentifier, SIGKILL) }
    DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
    defer { watchdog.cancel() }
    // Read standard error on another thread, so that neither pipe can fill up and block the child.
    nonisolated(unsafe) var errorData = Data()
    let reader = DispatchGroup()
    DispatchQueue.global().async(group: reader) { errorData = error.fileHandleForReading.readDataToEndOfFile() }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    reader.wait()
    process.waitUntilExit()
    let status = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus   // as a shell reports it
    return (status, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
}

private let executables = ["OrbitTrain", "OrbitFlows", "ApproximateEquivarianceExperiments", "SmokeData", "EquivarianceReport",
                           "OrbitBenchmarks"]

@Test(arguments: executables)
func everyExecutableHasHelpAndRejectsUnknownOptions(name: String) throws {
    let help = try run(name, ["--help"])
    #expect(help.status == 0 && help.output.hasPrefix("usage: ") && help.error.isEmpty, "\(help)")
    let unknown = try run(name, ["--no-such-option"])
    #expect(unknown.status == 2 && unknown.output.isEmpty, "\(unknown)")
    #expect(unknown.error.contains("unknown option --no-such-option") && unknown.error.hasSuffix("Try --help.\n"), "\(unknown)")
}

/// Command lines that are wrong, and the one message each must give (on stderr, exit status 2).
private let usageErrors: [(name: String, arguments: [String], message: String)] = [
    ("ApproximateEquivarianceExperiments", ["--epochs", "-1"], "--epochs expects an integer >= 1, got '-1'"),
    ("ApproximateEquivarianceExperiments", ["--plan", "huge"], "--plan expects one of paper, small, got 'huge'"),
    ("SmokeData", ["--steps", "-1"], "--steps expects an integer >= 1, got '-1'"),
    ("SmokeData", ["--symmetry-breaking", "2"], "--symmetry-breaking expects a number in 0...1, got '2'"),
    ("OrbitTrain", ["--epochs", "-1"], "--epochs expects an integer >= 1, got '-1'"),
    ("OrbitTrain", ["--seed", "-5"], "--seed expects a non-negative integer (0...18446744073709551615), got '-5'"),
    ("OrbitFlows", ["--threads", "-2"], "--threads expects an integer >= 0, got '-2'"),
    ("OrbitBenchmarks", ["no_such_case"], "'no_such_case' is not among the benchmark cases: "),
]

@Test(arguments: usageErrors.indices)
func usageErrorsNameTheOptionAndExitWith2(index: Int) throws {
    let (name, arguments, message) = usageErrors[index]
    let result = try run(name, arguments)
    #expect(result.status == 2 && result.output.isEmpty, "\(name) \(arguments): \(result)")
    let lines = result.error.split(separator: "\n")
    #expect(lines.count == 2 && lines[0].contains(": " + message) && lines[1] == "Try --help.", "\(name) \(arguments): \(result.error)")
}

@Test func anUnwritableOutputIsOneLineNamingThePath() throws {
    let result = try run("OrbitTrain", ["--output", "/proc/forbidden/run", "--training-examples", "64", "--test-examples", "10"])
    #expect(result.status == 1, "\(result)")
    // Creating /proc/forbidden fails: the message names it, the option that led there, and the reason.
    #expect(result.error == "orbit-train: cannot access /proc/forbidden (--output /proc/forbidden/run): No such file or directory\n",
            "\(result.error)")
    #expect(!result.error.contains("NSCocoaErrorDomain") && result.error.split(separator: "\n").count == 1, "\(result.error)")
}

@Test func resumingWithoutAnyCheckpointIsRefused() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-no-checkpoint-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    let result = try run("OrbitFlows", ["--resume", "--output", output.path])
    #expect(result.status == 1, "\(result)")
    #expect(result.error.contains("cannot resume: no checkpoint at any of \(output.path)/grnn/checkpoint.safetensors"), "\(result.error)")
    #expect(!FileManager.default.fileExists(atPath: output.path), "nothing is written when resuming is refused")
}
