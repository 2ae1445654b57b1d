import Foundation
import OrbitCommandLine
import OrbitExperiments
import Testing
@testable import OrbitFlows

// orbit-flows' options (the executable's parsing into OrbitExperiments' settings): each bad value named alone
// with its range, the defaults and --paper, and `--resume` looking for exactly the checkpoints the trainers write.

private let allOptions = FlowSettings.options + PaperExperimentSettings.options

private func message(_ words: [String]) -> String {
    do {
        let arguments = try Arguments(words, options: allOptions)
        _ = try FlowSettings(arguments)
        _ = try PaperExperimentSettings.parse(arguments)
        return "accepted"
    } catch {
        return "\(error)"
    }
}

@Test(arguments: [
    (["--epochs", "-1"], "--epochs expects an integer >= 1, got '-1'"),
    (["--data-velocities", "-1"], "--data-velocities expects an integer >= 0, got '-1'"),
    (["--decoder-layers", "-1"], "--decoder-layers expects an integer >= 0, got '-1'"),
    (["--hidden", "0", "--paper"], "--hidden expects an integer >= 1, got '0'"),
    (["--learning-rate", "nan"], "--learning-rate expects a finite number > 0, got 'nan'"),
    (["--seed", "-5"], "--seed expects a non-negative integer (0...18446744073709551615), got '-5'"),
    (["--experiment", "spinning"], "--experiment expects one of translating, bouncing, rotating, between-generators, imperfect, got 'spinning'"),
    (["--experiment", "rotating", "--seeds", "1,-2"],
     "--seeds expects a comma-separated list, each element a non-negative integer (0...18446744073709551615), got '1,-2'"),
    (["--experiment", "rotating", "--group-order", "0"], "--group-order expects an integer >= 1, got '0'"),
])
func eachBadFlowOptionIsNamedAlone(words: [String], expected: String) {
    #expect(message(words) == expected)
}

@Test func resumeLooksForTheCheckpointsTheTrainersWrite() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-flow-paths-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    var settings = FlowSettings()
    (settings.trainingSequences, settings.testSequences, settings.validationSequences, settings.hiddenChannels, settings.modelVelocityRange) = (4, 4, 4, 2, 2)
    settings.outputDirectory = output.path
    let experiment = try FlowExperiment(settings: settings, resume: false)
    #expect(settings.checkpoints == experiment.trainers.compactMap(\.configuration.checkpointURL))

    let arguments = try Arguments(["--experiment", "bouncing", "--seeds", "4,5", "--models", "grnn,fernn-v1-mix"], options: allOptions)
    let paper = try #require(try PaperExperimentSettings.parse(arguments))
    #expect(paper.checkpoints(in: output).map { $0.path.dropFirst(output.path.count) } == [
        "/seed-4/grnn/checkpoint.safetensors", "/seed-4/fernn-v1-mix/checkpoint.safetensors",
        "/seed-5/grnn/checkpoint.safetensors", "/seed-5/fernn-v1-mix/checkpoint.safetensors",
    ])
}

/// The library's defaults and `paper` are what the command line gives without options and with --paper.
@Test func theDefaultsAndPaperAreTheCommandLines() throws {
    #expect(try FlowSettings(Arguments([String](), options: allOptions)) == FlowSettings())
    #expect(try FlowSettings(Arguments(["--paper"], options: allOptions)) == FlowSettings.paper)
    var paper = FlowSettings.paper
    paper.epochs = 3
    #expect(try FlowSettings(Arguments(["--paper", "--epochs", "3"], options: allOptions)) == paper)
    #expect(try FlowSettings(Arguments(["--feedback-gradient"], options: allOptions)).feedbackGradient && !FlowSettings().feedbackGradient)
}

private func experiment(_ words: [String]) throws -> PaperExperimentSettings? {
    try PaperExperimentSettings.parse(Arguments(words, options: allOptions))
}

@Test func experimentArgumentsParse() throws {
    #expect(try experiment([]) == nil)
    let table = try #require(try experiment(["--experiment", "translating"]))
    #expect(table.models.map(\.description) == ["grnn", "fernn-v1", "fernn-v2"] && table.seeds == [1, 2, 3])
    let bouncing = try #require(try experiment(["--experiment", "bouncing", "--models", "fernn-v1,fernn-v1-mix", "--seeds", "4"]))
    #expect(bouncing.models == [try #require(.init("fernn-v1")), try #require(.init("fernn-v1-mix"))] && bouncing.models[1].mixesVelocities)
    #expect(bouncing.seeds == [4])
    for wrong in [["--experiment", "spinning"], ["--experiment", "translating", "--models", "fernn-2"],
                  ["--experiment", "rotating", "--models", "fernn-v1-mix"], ["--experiment", "translating", "--seeds", "one"]] {
        #expect(throws: ArgumentError.self) { try experiment(wrong) }
    }
}

/// A shipped model's manifest names the command that reproduces its seed: the run's options without --resume,
/// --publish and --trained-commit, with that seed alone; --publish names only models the run trains.
@Test func theReproducingCommandKeepsTheRunsOptionsForOneSeed() throws {
    let words = ["--experiment", "translating", "--seeds", "1,2,3", "--models", "grnn,fernn-v2", "--resume", "--publish", "grnn,fernn-v2",
                 "--trained-commit=abc", "--hidden", "16"]
    #expect(PaperExperiment.reproducingCommand(words, seed: 2)
            == "make run ARGS=\"--experiment translating --seeds 2 --models grnn,fernn-v2 --hidden 16\"")
    #expect(PaperExperiment.reproducingCommand(["--experiment", "translating"], seed: 1) == "make run ARGS=\"--experiment translating --seeds 1\"")
    let arguments = try Arguments(["--experiment", "translating", "--models", "grnn,fernn-v1", "--publish", "fernn-v2"], options: allOptions)
    let experiment = try #require(try PaperExperimentSettings.parse(arguments))
    #expect(throws: ArgumentError.self) { try shippedModels(arguments, experiment) }
    let good = try Arguments(["--experiment", "translating", "--models", "grnn,fernn-v1", "--publish", "fernn-v1"], options: allOptions)
    #expect(try shippedModels(good, experiment) == ["fernn-v1"])
}
