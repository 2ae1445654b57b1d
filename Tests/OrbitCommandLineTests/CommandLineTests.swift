import Foundation
import Testing
@testable import OrbitCommandLine

private let options = [
    Option("epochs", default: "2", help: "passes over the data"),
    Option("learning-rate", default: "0.001", help: "step size"),
    Option(flag: "resume", help: "continue from the last checkpoint"),
]

@Test func parsesValuesDefaultsAndFlags() throws {
    let arguments = try Arguments(["--epochs", "5", "--resume", "--learning-rate=0.01"], options: options)
    #expect(try arguments.value("epochs") as Int == 5)
    #expect(try arguments.value("learning-rate") as Double == 0.01)
    #expect(arguments.flag("resume") && arguments.isGiven("epochs"))
    let defaults = try Arguments([String](), options: options)
    #expect(try defaults.value("epochs") as Int == 2 && !defaults.flag("resume") && !defaults.isGiven("epochs"))
}

@Test func reportsMistakesPrecisely() {
    #expect(throws: ArgumentError.unknownOption("epoch", suggestion: "epochs")) { try Arguments(["--epoch", "3"], options: options) }
    #expect(throws: ArgumentError.unknownOption("zzz", suggestion: nil)) { try Arguments(["--zzz"], options: options) }
    #expect(throws: ArgumentError.missingValue("epochs")) { try Arguments(["--epochs"], options: options) }
    #expect(throws: ArgumentError.unexpectedArgument("five")) { try Arguments(["five"], options: options) }
    #expect(throws: ArgumentError.helpRequested) { try Arguments(["--help"], options: options) }
    #expect(throws: ArgumentError.invalidValue(option: "epochs", value: "x", expected: "an integer")) {
        _ = try Arguments(["--epochs", "x"], options: options).value("epochs") as Int
    }
}

@Test func helpListsEveryOptionWithItsDefault() {
    let help = Arguments.helpText(command: "orbit-train", summary: "Trains a model.", options: options)
    #expect(help.contains("--epochs <value>") && help.contains("(default: 2)") && help.contains("--resume") && help.contains("--help"))
}

@Test func progressLineShowsCountsRateAndTime() {
    let bar = ProgressBar(label: "epoch 1/2", total: 100, interactive: false)
    let line = bar.render(completed: 25, examples: 1600, fields: [("loss", "0.5000")], elapsed: 2)
    #expect(line == "epoch 1/2 [======>                 ] 25/100  loss 0.5000  800 ex/s  ETA 0:06")
    #expect(ProgressBar.clock(3725) == "1:02:05")
    // Resumed at step 20: 5 steps in 2 s leave 75 steps, 30 s.
    let resumed = ProgressBar(label: "epoch 1/2", total: 100, startingAt: 20, interactive: false)
    #expect(resumed.render(completed: 25, examples: 40, fields: [], elapsed: 2).hasSuffix("20 ex/s  ETA 0:30"))
}

@Test func metricsAreOneJSONObjectPerLine() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).jsonl")
    defer { try? FileManager.default.removeItem(at: url) }
    try MetricsLog(appendingTo: url).write(["epoch": 1, "loss": 0.25, "note": "a \"quoted\" word"])
    try MetricsLog(appendingTo: url).write(["epoch": 2, "loss": .number(.nan)])
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
    #expect(lines == [#"{"epoch": 1, "loss": 0.25, "note": "a \"quoted\" word"}"#, #"{"epoch": 2, "loss": null}"#])
    for line in lines { _ = try JSONSerialization.jsonObject(with: Data(line.utf8)) }
}

@Test func parsingOutcomeSaysRunHelpOrUsageError() throws {
    guard case .run(let arguments) = Arguments.parse(["--epochs", "4"], command: "orbit-train", summary: "Trains.",
                                                     options: options) else {
        Issue.record("expected .run")
        return
    }
    #expect(try arguments.value("epochs") as Int == 4)
    guard case .help(let text) = Arguments.parse(["--epochs", "4", "-h"], command: "orbit-train", summary: "Trains.",
                                                 options: options) else {
        Issue.record("expected .help")
        return
    }
    #expect(text == Arguments.helpText(command: "orbit-train", summary: "Trains.", options: options))
    guard case .usageError(let message) = Arguments.parse(["--epoch", "4"], command: "orbit-train", summary: "Trains.",
                                                          options: options) else {
        Issue.record("expected .usageError")
        return
    }
    #expect(message == "orbit-train: unknown option --epoch (did you mean --epochs?)\nTry --help.")
}

@Test func firstInterruptionRequestsAStopAndALaterOneQuits() {
    let interruption = Interruption()
    let second: UInt64 = 1_000_000_000
    #expect(!interruption.isRequested)
    #expect(interruption.record(now: 5 * second) == .stopAtNextStep)
    #expect(interruption.isRequested)
    #expect(interruption.record(now: 7 * second) == .quitNow)
    #expect(interruption.record(now: 9 * second) == .quitNow && interruption.isRequested)
}

/// `timeout -s INT` signals the process and then its group: two SIGINTs microseconds apart are one press.
@Test func aSignalRightAfterTheFirstIsTheSamePress() {
    let interruption = Interruption()
    let start: UInt64 = 3_000_000_000
    #expect(interruption.record(now: start) == .stopAtNextStep)
    #expect(interruption.record(now: start + 50_000) == .echoOfFirst)
    #expect(interruption.record(now: start + 900_000_000) == .echoOfFirst)
    #expect(interruption.record(now: start + 1_000_000_000) == .quitNow)
}
