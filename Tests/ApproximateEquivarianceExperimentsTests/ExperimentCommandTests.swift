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
    (["--experiment", "tables"], "--experiment expects one of table, levels, got 'tables'"),
    (["--symmetry", "reflection"], "--symmetry expects one of translation, rotation, scaling, got 'reflection'"),
    (["--layers", "1"], "--layers expects an integer >= 2, got '1'"),
    (["--lr", "-0.1"], "--lr expects a finite number > 0, got '-0.1'"),
    (["--alpha", "-1"], "--alpha expects a finite number >= 0, got '-1'"),
    (["--seeds", "0,x"], "--seeds expects a comma-separated list, each element a non-negative integer (0...18446744073709551615), got '0,x'"),
    (["--levels", "18"], "--levels expects an integer in 1...17, got '18'"),
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
    let levels = try ExperimentCommand(Arguments(["--experiment", "levels", "--levels", "10", "--pool", "2", "--epochs", "20", "--hidden", "16",
                                                  "--layers", "3", "--batch", "8", "--lr", "1e-3", "--decay", "0.9", "--seeds", "0"],
                                                 options: ExperimentCommand.options))
    #expect(levels.experiment == .levels && levels.settings.pool == 2 && levels.settings.seeds == [0] && levels.settings.training.decay == 0.9)
}

/// The library's `ApproximateEquivarianceSettings(symmetry:)` is what the command line gives without options.
@Test(arguments: ["translation", "rotation", "scaling"])
func theLibraryDefaultsAreTheCommandDefaults(symmetry: String) throws {
    let parsed = try ExperimentCommand(Arguments(["--symmetry", symmetry], options: ExperimentCommand.options)).settings
    let library = ApproximateEquivarianceSettings(symmetry: parsed.symmetry)
    #expect(parsed.models == library.models && parsed.plan == library.plan && parsed.taskLimit == library.taskLimit)
    #expect(parsed.seeds == library.seeds && parsed.trainWindows == library.trainWindows && parsed.evaluationWindows == library.evaluationWindows)
    #expect(parsed.cache == library.cache && parsed.output == library.output && parsed.levels == library.levels && parsed.pool == library.pool)
    let (a, b) = (parsed.modelSettings, library.modelSettings)
    #expect(a.hidden == b.hidden && a.layers == b.layers && a.bankCount == b.bankCount && a.alpha == b.alpha && a.size == b.size)
    #expect(a.priorAlpha == b.priorAlpha && a.hingeAlpha == b.hingeAlpha && a.hingeMargin == b.hingeMargin && a.inputFrames == b.inputFrames)
    #expect(a.relaxedInitialization == b.relaxedInitialization)
    let (x, y) = (parsed.training, library.training)
    #expect(x.epochs == y.epochs && x.batchSize == y.batchSize && x.learningRate == y.learningRate && x.decay == y.decay
            && x.weightDecay == y.weightDecay && x.earlyStopAfter == y.earlyStopAfter)
}
