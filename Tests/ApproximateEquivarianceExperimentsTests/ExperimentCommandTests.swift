import Foundation
import OrbitCommandLine
import OrbitExperiments
import Testing
@testable import ApproximateEquivarianceExperiments

// The experiments' command line: every value is checked before anything is simulated or trained (a negative
// --epochs once crashed in training with exit 132, and --plan huge ran the paper plan).

private func message(_ words: [String]) -> String {
    do {
        _ = try ExperimentCommand(Arguments(words, options: ExperimentCommand.options))
        return "accepted"
    } catch {
        return "\(error)"
    }
}

@Test(arguments: [
    (["--epochs", "-1"], "--epochs expects an integer >= 1, got '-1'"),
    (["--plan", "huge"], "--plan expects one of paper, small, got 'huge'"),
    (["--experiment", "tables"], "--experiment expects one of table, budget, levels, got 'tables'"),
    (["--symmetry", "reflection"], "--symmetry expects one of translation, rotation, scaling, got 'reflection'"),
    (["--layers", "1"], "--layers expects an integer >= 2, got '1'"),
    (["--lr", "-0.1"], "--lr expects a finite number > 0, got '-0.1'"),
    (["--alpha", "-1"], "--alpha expects a finite number >= 0, got '-1'"),
    (["--seeds", "0,x"], "--seeds expects a comma-separated list, each element a non-negative integer (0...18446744073709551615), got '0,x'"),
    (["--levels", "18"], "--levels expects a comma-separated list, each element an integer in 0...16, got '18'"),
    (["--pool", "3"], "--pool expects one of 1, 2, 4, 8, 16, 32, got '3'"),
    (["--rsteer-init", "zero"], "--rsteer-init expects one of equivariant, random, got 'zero'"),
])
func eachBadExperimentOptionIsNamedAlone(words: [String], expected: String) {
    #expect(message(words) == expected)
}

@Test func anUnknownModelIsAUsageError() throws {
    let error = try #require(throws: (any Error).self) {
        try ExperimentCommand(Arguments(["--models", "Conv,Transformer"], options: ExperimentCommand.options))
    }
    let failure = CommandFailure(error, command: "ApproximateEquivarianceExperiments")
    #expect(failure.status == 2 && failure.message.contains("--models: unknown or unavailable model \"Transformer\""), "\(failure)")
}

@Test func theDefaultsAndTheMakefileCommandLinesParse() throws {
    let defaults = try ExperimentCommand(Arguments([String](), options: ExperimentCommand.options))
    #expect(defaults.experiment == .table && defaults.settings.plan == .paper && defaults.settings.seeds == [0, 1, 2]
            && defaults.settings.training.epochs == 30)
    let levels = try ExperimentCommand(Arguments(["--experiment", "levels", "--pool", "2", "--epochs", "20", "--hidden", "16",
                                                  "--layers", "3", "--batch", "8", "--lr", "1e-3", "--decay", "0.9", "--seeds", "0"],
                                                 options: ExperimentCommand.options))
    #expect(levels.experiment == .levels && levels.settings.pool == 2 && levels.settings.seeds == [0] && levels.settings.training.decay == 0.9)
    #expect(levels.settings.levels == Array(0..<10) && levels.settings.modelSettings.steerableWidth == .channels)
}

/// `--levels` is a list of distinct levels in 0...16; `--steerable-width reference` gives the reference's widths.
@Test func theLevelsAreAListAndTheReferenceWidthsParse() throws {
    func parse(_ extra: [String]) throws -> ExperimentCommand {
        try ExperimentCommand(Arguments(["--experiment", "levels"] + extra, options: ExperimentCommand.options))
    }
    let chosen = try parse(["--levels", "0,3,6,9", "--steerable-width", "reference", "--hidden", "64"])
    #expect(chosen.settings.levels == [0, 3, 6, 9] && chosen.settings.modelSettings.steerableFields.strict == 64
            && chosen.settings.modelSettings.steerableFields.relaxed == 32)
    let two = try parse(["--models", "conv,rsteer"])
    #expect(EquivarianceLevelExperiment(settings: two.settings).trainedModels == [.conv, .relaxedSteerable])
    #expect(throws: ArgumentError.invalidValue(option: "models", value: "conv,rpp", expected: "a list of Conv, Equiv and RSteer for --experiment levels")) {
        try parse(["--models", "conv,rpp"])
    }
    for (bad, expected) in [("0,3,3", "distinct values"), ("17", "an integer in 0...16"), ("-1", "an integer in 0...16")] {
        #expect(throws: ArgumentError.invalidValue(option: "levels", value: bad,
                                                   expected: expected == "distinct values" ? expected : "a comma-separated list, each element \(expected)")) {
            try parse(["--levels", bad])
        }
    }
}

/// The library's `ApproximateEquivarianceSettings(symmetry:)` is what the command line gives without options.
@Test(arguments: ["translation", "rotation", "scaling"])
func theLibraryDefaultsAreTheCommandDefaults(symmetry: String) throws {
    let parsed = try ExperimentCommand(Arguments(["--symmetry", symmetry], options: ExperimentCommand.options)).settings
    let library = ApproximateEquivarianceSettings(symmetry: parsed.symmetry)
    #expect(parsed.models == library.models && parsed.plan == library.plan && parsed.taskLimit == library.taskLimit)
    #expect(parsed.seeds == library.seeds && parsed.trainWindows == library.trainWindows && parsed.evaluationWindows == library.evaluationWindows)
    #expect(parsed.cache == library.cache && parsed.output == library.output && parsed.levels == library.levels && parsed.pool == library.pool)
    #expect(parsed.checkpoints == library.checkpoints && parsed.checkpoints == "runs/approximate-equivariance")
    let (a, b) = (parsed.modelSettings, library.modelSettings)
    #expect(a.hidden == b.hidden && a.layers == b.layers && a.bankCount == b.bankCount && a.alpha == b.alpha && a.size == b.size)
    #expect(a.priorAlpha == b.priorAlpha && a.hingeAlpha == b.hingeAlpha && a.hingeMargin == b.hingeMargin && a.inputFrames == b.inputFrames)
    #expect(a.relaxedInitialization == b.relaxedInitialization && a.steerableWidth == b.steerableWidth)
    let (x, y) = (parsed.training, library.training)
    #expect(x.epochs == y.epochs && x.batchSize == y.batchSize && x.learningRate == y.learningRate && x.decay == y.decay
            && x.weightDecay == y.weightDecay && x.earlyStopAfter == y.earlyStopAfter)
}

/// `--resume` and `--checkpoints` reach the command (without them: no resume, runs/approximate-equivariance), and
/// `--help` lists both.
@Test func resumeAndCheckpointsParseAndAreListed() throws {
    let plain = try ExperimentCommand(Arguments([String](), options: ExperimentCommand.options))
    #expect(!plain.resume && plain.settings.checkpoints == "runs/approximate-equivariance")
    let resumed = try ExperimentCommand(Arguments(["--experiment", "levels", "--resume", "--checkpoints", "/tmp/approx", "--seeds", "4"],
                                                  options: ExperimentCommand.options))
    #expect(resumed.resume && resumed.settings.checkpoints == "/tmp/approx")
    #expect(resumed.checkpoints.first?.path == "/tmp/approx/levels/level-0/seed-4/conv/checkpoint.safetensors")
    #expect(resumed.checkpoints.count == 10 * 3)   // 10 levels, one seed, Conv, Equiv and RSteer
    let table = try ExperimentCommand(Arguments(["--symmetry", "scaling", "--models", "mlp,rsteer", "--checkpoints", "/tmp/approx"],
                                                options: ExperimentCommand.options))
    #expect(table.checkpoints.map(\.path).prefix(2) == ["/tmp/approx/table-scaling/seed-0/mlp/checkpoint.safetensors",
                                                         "/tmp/approx/table-scaling/seed-0/rsteer/checkpoint.safetensors"])
    guard case .help(let text) = Arguments.parse(["--help"], command: "ApproximateEquivarianceExperiments", summary: ExperimentCommand.summary,
                                                 options: ExperimentCommand.options) else {
        Issue.record("--help did not give the help text")
        return
    }
    #expect(text.contains("--resume ") && text.contains("--checkpoints <value>") && text.contains("(default: runs/approximate-equivariance)"))
}

/// `--resume` with no checkpoint under `--checkpoints` is a runtime failure (status 1) naming where it looked, before anything runs.
@Test func resumingWithoutACheckpointIsRefused() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("approx-none-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let command = try ExperimentCommand(Arguments(["--resume", "--checkpoints", folder, "--seeds", "0", "--cache", folder + "/cache"],
                                                  options: ExperimentCommand.options))
    try #require(command.settings.checkpoints == folder)   // should it run, it writes only there
    let error = try #require(throws: MissingCheckpointError.self) { try command.run(stop: { true }) }
    let failure = CommandFailure(error, command: "ApproximateEquivarianceExperiments")
    #expect(failure.status == 1 && failure.message.contains(folder + "/table-rotation/seed-0/conv/checkpoint.safetensors"), "\(failure)")
    #expect(!FileManager.default.fileExists(atPath: folder))   // nothing simulated, nothing written
}

/// `--experiment budget` takes `--budgets` (windows x hidden x epochs) and refuses the three options they replace.
@Test func theBudgetsParseAndReplaceWindowsHiddenAndEpochs() throws {
    let command = try ExperimentCommand(Arguments(["--experiment", "budget", "--budgets", "120x16x10,1000x64x30", "--models", "conv,equiv,rgroup,rsteer"],
                                                  options: ExperimentCommand.options))
    #expect(command.experiment == .budget && command.budgets.map(\.description) == ["120x16x10", "1000x64x30"])
    #expect(command.settings.models == [.conv, .equivariant, .relaxedGroup, .relaxedSteerable])
    #expect(message(["--experiment", "budget", "--hidden", "32"]).contains("--hidden"))
    #expect(message(["--budgets", "120x16"]).contains("--budgets"))
}
