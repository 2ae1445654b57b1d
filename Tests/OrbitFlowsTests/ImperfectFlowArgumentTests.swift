import Foundation
import OrbitCommandLine
import OrbitDatasets
import OrbitExperiments
import Testing
@testable import OrbitFlows

// The options of issue 17's experiments (`--experiment between-generators` and `imperfect`): each bad value
// named alone with what is accepted, the defaults, and `--resume` looking in the levels' folders.

private let allOptions = FlowSettings.options + PaperExperimentSettings.options

private func experiment(_ words: [String]) throws -> PaperExperimentSettings? {
    try PaperExperimentSettings.parse(Arguments(words, options: allOptions))
}

private func message(_ words: [String]) -> String {
    do {
        _ = try experiment(words)
        return "accepted"
    } catch {
        return "\(error)"
    }
}

@Test(arguments: [
    (["--experiment", "imperfect", "--breaking", "wind"], "--breaking expects one of drift, acceleration, noise, got 'wind'"),
    (["--experiment", "imperfect", "--levels", "0,-1"], "--levels expects a comma-separated list, each element an integer >= 0, got '0,-1'"),
    (["--experiment", "imperfect", "--levels", "1,1"], "--levels expects distinct values, got '1,1'"),
    (["--experiment", "between-generators", "--x-velocities", "1,a"],
     "--x-velocities expects a comma-separated list, each element an integer, got '1,a'"),
    (["--experiment", "between-generators", "--x-velocities", "-5,5,-5"], "--x-velocities expects distinct values, got '-5,5,-5'"),
    (["--experiment", "imperfect", "--banks", "0"], "--banks expects an integer >= 1, got '0'"),
    (["--experiment", "imperfect", "--relaxed-alpha", "-1"], "--relaxed-alpha expects a finite number >= 0, got '-1'"),
    (["--experiment", "imperfect", "--equivariance-sequences", "0"], "--equivariance-sequences expects an integer >= 1, got '0'"),
    (["--experiment", "between-generators", "--models", "grnn,fernn-x3-step2"],
     "--models expects " + PaperExperimentSettings.Model.grammar + ", got 'fernn-x3-step2'"),
    (["--experiment", "rotating", "--models", "grnn,relaxed-fernn-v1"],
     "--models expects grnn or fernn-vK for rotation flows, got 'relaxed-fernn-v1'"),
    (["--experiment", "rotating", "--models", "fernn-x2"], "--models expects grnn or fernn-vK for rotation flows, got 'fernn-x2'"),
    (["--experiment", "between-generator"],
     "--experiment expects one of translating, bouncing, rotating, between-generators, imperfect, got 'between-generator'"),
])
func eachBadImperfectFlowOptionIsNamedAlone(words: [String], expected: String) {
    #expect(message(words) == expected)
}

@Test func theImperfectFlowExperimentsParse() throws {
    let between = try #require(try experiment(["--experiment", "between-generators"]))
    #expect(between.kind == .betweenGenerators && between.xVelocities == Array(-5...5))
    #expect(between.models.map(\.description) == ["grnn", "fernn-x1", "fernn-x2", "fernn-x3", "fernn-x4", "fernn-x5"])
    let chosen = try #require(try experiment(["--experiment", "between-generators", "--models", "grnn,fernn-x4-step2,fernn-x5",
                                              "--x-velocities", "-3,0,3"]))
    #expect(chosen.models.map(\.translationFlows) == [.stationary, .horizontal([-4, -2, 0, 2, 4]), .horizontal(Array(-5...5))])
    #expect(chosen.xVelocities == [-3, 0, 3])

    let imperfect = try #require(try experiment(["--experiment", "imperfect"]))
    #expect(imperfect.models.map(\.description) == ["grnn", "grnn-plus-v1", "fernn-v1", "relaxed-fernn-v1"])
    #expect(imperfect.breaking == FlowBreaking(.drift, level: 0) && imperfect.levels == [0, 1, 2, 3])
    #expect((imperfect.bankCount, imperfect.relaxedAlpha, imperfect.equivarianceSequences) == (2, 0.01, 20))
    let noisy = try #require(try experiment(["--experiment", "imperfect", "--breaking", "noise", "--levels", "0,2,4", "--banks", "3",
                                             "--relaxed-alpha", "0.5", "--models", "relaxed-fernn-v2,grnn-plus-v2"]))
    #expect(noisy.breaking.kind == .noise && noisy.levels == [0, 2, 4] && noisy.bankCount == 3 && noisy.relaxedAlpha == 0.5)
    #expect(noisy.models == [.init(.relaxed, velocityRange: 2), .init(.learnedShift, velocityRange: 2)])
}

/// `--resume` looks for the checkpoints an imperfect run writes: one folder per level, then seed, then model.
@Test func resumeLooksInTheLevelsFolders() throws {
    let output = URL(fileURLWithPath: "/runs/imperfect")
    let chosen = try #require(try experiment(["--experiment", "imperfect", "--levels", "0,3", "--seeds", "7", "--models", "grnn,relaxed-fernn-v1"]))
    #expect(chosen.checkpoints(in: output).map(\.path) == [
        "/runs/imperfect/level-0/seed-7/grnn/checkpoint.safetensors", "/runs/imperfect/level-0/seed-7/relaxed-fernn-v1/checkpoint.safetensors",
        "/runs/imperfect/level-3/seed-7/grnn/checkpoint.safetensors", "/runs/imperfect/level-3/seed-7/relaxed-fernn-v1/checkpoint.safetensors",
    ])
}
