import Foundation
import Testing
@testable import OrbitCommandLine

// Checked values and the exit convention: every message names the option, the accepted values and what
// was given; usage errors exit with 2, runtime failures with 1 and one readable line.

private let options = [
    Option("epochs", default: "2", help: "passes"),
    Option("seed", default: "1", help: "seed"),
    Option("rate", default: "0.001", help: "step size"),
    Option("breaking", default: "1", help: "0...1"),
    Option("plan", default: "paper", help: "paper or small"),
    Option("seeds", default: "0,1,2", help: "seeds"),
    Option("output", default: "runs/x", help: "directory"),
]

private func parsed(_ words: [String]) throws -> Arguments { try Arguments(words, options: options) }

/// The message of the `ArgumentError` that `body` throws.
private func message(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "no error"
    } catch {
        return "\(error)"
    }
}

@Test func integerRangesNameTheOptionAndTheRange() throws {
    #expect(try parsed(["--epochs", "3"]).value("epochs", in: 1...) == 3)
    #expect(message { _ = try parsed(["--epochs", "-1"]).value("epochs", in: 1...) } == "--epochs expects an integer >= 1, got '-1'")
    #expect(message { _ = try parsed(["--epochs", "x"]).value("epochs", in: 1...) } == "--epochs expects an integer >= 1, got 'x'")
    #expect(message { _ = try parsed(["--epochs", "9"]).value("epochs", in: 1...8) } == "--epochs expects an integer in 1...8, got '9'")
    #expect(try parsed([]).value("epochs", in: 1...8) == 2)
}

@Test func seedsMustBeNonNegativeIntegers() throws {
    #expect(try parsed(["--seed", "18446744073709551615"]).value("seed") as UInt64 == .max)
    #expect(message { _ = try parsed(["--seed", "-5"]).value("seed") as UInt64 }
            == "--seed expects a non-negative integer (0...18446744073709551615), got '-5'")
    #expect(try parsed(["--seeds", "4,5"]).list("seeds", of: UInt64.self) == [4, 5])
    for bad in ["1,-2", "", "1,,2", "a"] {
        #expect(message { _ = try parsed(["--seeds", bad]).list("seeds", of: UInt64.self) }
                == "--seeds expects a comma-separated list, each element a non-negative integer (0...18446744073709551615), got '\(bad)'")
    }
}

@Test func numberRangesRejectOutOfRangeAndNonFiniteValues() throws {
    #expect(try parsed(["--breaking", "0.5"]).value("breaking", in: 0.0...1.0) == 0.5)
    #expect(message { _ = try parsed(["--breaking", "2"]).value("breaking", in: 0.0...1.0) } == "--breaking expects a number in 0...1, got '2'")
    #expect(message { _ = try parsed(["--breaking", "nan"]).value("breaking", in: 0.0...1.0) } == "--breaking expects a number in 0...1, got 'nan'")
    #expect(try parsed([]).value("rate", above: 0) == 0.001)
    for bad in ["0", "-1", "inf", "nan"] {
        #expect(message { _ = try parsed(["--rate", bad]).value("rate", above: 0) } == "--rate expects a finite number > 0, got '\(bad)'")
    }
    #expect(message { _ = try parsed(["--rate", "inf"]).value("rate", in: 0.0...) } == "--rate expects a finite number >= 0, got 'inf'")
    #expect(message { _ = try parsed(["--rate", "-1"]).value("rate", in: 1e-5...) } == "--rate expects a finite number >= 1e-05, got '-1'")
}

private enum Plan: String, CaseIterable { case paper, small }

@Test func choicesListTheAcceptedValues() throws {
    #expect(try parsed(["--plan", "small"]).choice("plan", as: Plan.self) == .small)
    #expect(message { _ = try parsed(["--plan", "huge"]).choice("plan", as: Plan.self) }
            == "--plan expects one of paper, small, got 'huge'")
    #expect(try parsed([]).choice("plan", from: ["paper", "small"]) == "paper")
}

@Test func operandsAreAcceptedOnlyWhenDeclared() throws {
    #expect(throws: ArgumentError.unexpectedArgument("gemm_256")) { try Arguments(["gemm_256"], options: options) }
    let arguments = try Arguments(["gemm_256", "--epochs", "3", "conv"], options: options, acceptsOperands: true)
    #expect(arguments.operands == ["gemm_256", "conv"])
    #expect(Arguments.helpText(command: "bench", summary: "", options: [], operands: "[case ...]").hasPrefix("usage: bench [options] [case ...]"))
}

@Test func usageErrorsExitWith2AndRuntimeFailuresWith1() throws {
    let usage = CommandFailure(ArgumentError.invalidValue(option: "epochs", value: "-1", expected: "an integer >= 1"), command: "orbit-train")
    #expect(usage == CommandFailure(message: "orbit-train: --epochs expects an integer >= 1, got '-1'\nTry --help.", status: 2))
    let missing = CommandFailure(MissingCheckpointError(searched: ["runs/a/checkpoint.safetensors"]), command: "orbit-flows")
    #expect(missing.status == 1)
    #expect(missing.message == "orbit-flows: cannot resume: no checkpoint at runs/a/checkpoint.safetensors; run without --resume to start afresh")
}

@Test func fileSystemErrorsAreOneLineNamingThePathAndTheOption() throws {
    let arguments = try parsed(["--output", "/proc/forbidden"])
    let error = try #require(throws: (any Error).self) {
        try FileManager.default.createDirectory(atPath: "/proc/forbidden/run", withIntermediateDirectories: true)
    }
    let failure = CommandFailure(error, command: "orbit-train", arguments: arguments)
    #expect(failure.status == 1)
    #expect(failure.message.hasPrefix("orbit-train: cannot ") && failure.message.contains("/proc/forbidden"), "\(failure.message)")
    #expect(failure.message.contains("(--output): No such file or directory"), "\(failure.message)")
    #expect(!failure.message.contains("NSCocoaErrorDomain") && !failure.message.contains("\n"), "\(failure.message)")
}

@Test func resumeNeedsAtLeastOneCheckpoint() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-resume-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (first, second) = (directory.appendingPathComponent("a/checkpoint.safetensors"), directory.appendingPathComponent("b/checkpoint.safetensors"))
    #expect(throws: MissingCheckpointError(searched: [first.path, second.path])) { try MissingCheckpointError.requireAny(of: [first, second]) }
    try FileManager.default.createDirectory(at: second.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data([1]).write(to: second)
    try MissingCheckpointError.requireAny(of: [first, second])   // one model has a checkpoint, the other has not started
}
