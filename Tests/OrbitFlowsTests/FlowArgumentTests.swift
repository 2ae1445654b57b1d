import Foundation
import OrbitCommandLine
import Testing
@testable import OrbitFlows

// orbit-flows' options: each bad value named alone with its range, and `--resume` looking for exactly the
// checkpoints the trainers write.

private let allOptions = FlowOptions.options + ExperimentOptions.options

private func message(_ words: [String]) -> String {
    do {
        let arguments = try Arguments(words, options: allOptions)
        _ = try FlowOptions(arguments)
        _ = try ExperimentOptions.parse(arguments)
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
    (["--experiment", "spinning"], "--experiment expects one of translating, bouncing, rotating, got 'spinning'"),
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
    var options = FlowOptions()
    (options.trainingSequences, options.testSequences, options.validationSequences, options.hiddenChannels, options.modelVelocityRange) = (4, 4, 4, 2, 2)
    options.outputDirectory = output.path
    let experiment = try FlowExperiment(options: options, resume: false)
    #expect(options.checkpoints == experiment.trainers.compactMap(\.configuration.checkpointURL))

    let arguments = try Arguments(["--experiment", "bouncing", "--seeds", "4,5", "--models", "grnn,fernn-v1-mix"], options: allOptions)
    let paper = try #require(try ExperimentOptions.parse(arguments))
    #expect(paper.checkpoints(in: output).map { $0.path.dropFirst(output.path.count) } == [
        "/seed-4/grnn/checkpoint.safetensors", "/seed-4/fernn-v1-mix/checkpoint.safetensors",
        "/seed-5/grnn/checkpoint.safetensors", "/seed-5/fernn-v1-mix/checkpoint.safetensors",
    ])
}
