import Foundation
import Orbit
import OrbitDatasets
import OrbitExperiments
import OrbitNN
import Testing

// Issue 17's experiments at a tiny size: between-generators and imperfect run end to end and write their
// tables and plots, a stopped imperfect run resumes exactly, and the relaxed FERNN's training loss carries
// its regulariser. The options are tested in OrbitFlowsTests.

private func isPNG(_ path: String) throws -> Bool {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(4)) == [0x89, 0x50, 0x4E, 0x47]
}

@Test func modelNamesRoundTrip() throws {
    let names = ["grnn", "fernn-v2", "fernn-v1-mix", "fernn-x5", "fernn-x4-step2", "grnn-plus-v1", "grnn-plus-x3", "relaxed-fernn-v1",
                 "relaxed-fernn-x6-step3", "grnn-tanh", "fernn-v2-tanh", "fernn-v1-mix-tanh"]
    for name in names { #expect(PaperExperimentSettings.Model(name)?.description == name, "\(name)") }
    #expect(PaperExperimentSettings.Model("FERNN-X4-STEP2")?.translationFlows == .horizontal([-4, -2, 0, 2, 4]))
    #expect(PaperExperimentSettings.Model("relaxed-fernn-v1")?.translationFlows == .grid(range: 1))
    #expect(PaperExperimentSettings.Model("FERNN-V2-TANH")?.activation == .tanh && PaperExperimentSettings.Model("fernn-v2")?.activation == .relu)
    #expect(PaperExperimentSettings.Model("fernn-v2-tanh")?.isPublishable == true)
    for wrong in ["fernn-x3-step2", "fernn-x4-step1", "fernn-x0", "grnn-plus-v1-mix", "relaxed-fernn-x2-mix", "fernn-y2", "plus-v1", "fernn-v",
                  "grnn-plus-v1-tanh", "relaxed-fernn-v1-tanh", "fernn-v2-tanh-mix", "tanh"] {
        #expect(PaperExperimentSettings.Model(wrong) == nil, "\(wrong)")
    }
}

/// Between generators: digits move along x only, at the data's velocities; each model gets the MSE of every
/// fixed-velocity set, its average, the velocities in its V marked, and the line plot.
@Test func theBetweenGeneratorsExperimentRunsEndToEnd() throws {
    let directory = try temporaryDirectory("orbit-imperfect")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var chosen = PaperExperimentSettings(kind: .betweenGenerators, models: [.init("grnn")!, .init("fernn-x2-step2")!])
    (chosen.seeds, chosen.gridSequences, chosen.xVelocities) = ([1, 2], 2, [-2, -1, 0, 1, 2])
    let paper = try PaperExperiment(experiment: chosen, settings: tinyFlowSettings(output: directory, epochs: 2))
    #expect(paper.gridVelocities == PixelVector.horizontal(-2...2))
    let test = paper.data(seed: 1).test.prefix(3)
    for sequence in 0..<3 {   // one digit on the torus: frame t + 1 is frame t rolled by (0, v) for one data velocity v
        let frames = test.slice(axis: 0, index: sequence)
        let moving = chosen.xVelocities.filter { v in
            (0..<3).allSatisfy { frames.slice(axis: 0, index: $0).rolled(shifts: [0, v], axes: [-2, -1]).doubles
                == frames.slice(axis: 0, index: $0 + 1).doubles }
        }
        #expect(moving.count == 1, "sequence \(sequence) moves at \(moving)")
    }
    #expect(try paper.run(resume: false, stop: { false }))
    let table = try String(contentsOfFile: directory + "/results.md", encoding: .utf8)
    #expect(table.contains("## Between generators: MSE per data velocity") && table.contains("| model | \\|V\\| | average | -2 | -1 | 0 | 1 | 2 |"))
    let section = table.components(separatedBy: "## Between generators")[1]
    let row = try #require(section.split(separator: "\n").first { $0.hasPrefix("| fernn-x2-step2 |") })
    // model, |V|, average, then the velocities -2..2; * where the velocity is in V = {-2, 0, 2}
    #expect(row.split(separator: "|").map { $0.contains("*") } == [false, false, false, true, false, true, false, true])
    #expect(row.contains("± "))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/results.json"))) as? [String: Any]
    let first = (json?["fernn-x2-step2"] as? [String: Any])?["seed-2"] as? [String: Any]
    #expect((first?["velocity_grid_mse"] as? [Double]).map { $0.count == 5 && $0.allSatisfy { $0.isFinite && $0 >= 0 } } == true)
    #expect(json?["x_velocities"] as? [Int] == [-2, -1, 0, 1, 2])
    #expect(try isPNG(directory + "/mse-per-velocity.png") && isPNG(directory + "/predictions-0.png"))
}

/// Imperfect: one folder per level with its own report and checkpoints, the summary tables with the learned
/// flow-equivariance error (n/a for the G-RNN, rounding level for the FERNN) and the two plots.
@Test func theImperfectExperimentRunsEndToEnd() throws {
    let directory = try temporaryDirectory("orbit-imperfect")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var chosen = PaperExperimentSettings(kind: .imperfect)
    (chosen.seeds, chosen.levels, chosen.equivarianceSequences) = ([1], [0, 2], 2)
    chosen.breaking = FlowBreaking(.noise, level: 0)
    #expect(chosen.models.map(\.description) == ["grnn", "grnn-plus-v1", "fernn-v1", "relaxed-fernn-v1"])
    let experiment = try ImperfectFlowExperiment(experiment: chosen, settings: tinyFlowSettings(output: directory, epochs: 2))
    #expect(experiment.runs.map(\.experiment.breaking) == [FlowBreaking(.noise, level: 0), FlowBreaking(.noise, level: 2)])
    #expect(try experiment.run(resume: false, stop: { false }))
    for url in chosen.checkpoints(in: URL(fileURLWithPath: directory)) { #expect(FileManager.default.fileExists(atPath: url.path), "\(url.path)") }
    let levelTable = try String(contentsOfFile: directory + "/level-2/results.md", encoding: .utf8)
    #expect(levelTable.contains("## imperfect (noise level 2 (amplitude 0.5))") && levelTable.contains("learned flow-equivariance error"))
    let table = try String(contentsOfFile: directory + "/results.md", encoding: .utf8)
    #expect(table.contains("## Test MSE") && table.contains("## Learned flow-equivariance error"))
    #expect(table.contains("| level | grnn | grnn-plus-v1 | fernn-v1 | relaxed-fernn-v1 |"))
    let errorRows = table.components(separatedBy: "## Learned flow-equivariance error")[1].split(separator: "\n").filter { $0.hasPrefix("| 0 |") || $0.hasPrefix("| 2 |") }
    #expect(errorRows.count == 2 && errorRows.allSatisfy { $0.split(separator: "|")[1].contains("n/a") && !$0.split(separator: "|")[2].contains("n/a") })
    for run in experiment.runs {
        #expect(run.report.results["grnn"]?[1]?.learnedEquivarianceError == nil)
        let fernn = try #require(run.report.results["fernn-v1"]?[1]?.learnedEquivarianceError)
        #expect(fernn < 1e-5, "the FERNN is flow equivariant to rounding, got \(fernn)")
        for name in ["grnn-plus-v1", "relaxed-fernn-v1"] {
            #expect(run.report.results[name]?[1]?.learnedEquivarianceError.map { $0.isFinite && $0 >= 0 } == true, "\(name)")
        }
    }
    #expect(try isPNG(directory + "/test-mse-by-level.png") && isPNG(directory + "/equivariance-error-by-level.png"))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/results.json"))) as? [String: Any]
    let relaxed = ((json?["relaxed-fernn-v1"] as? [String: Any])?["level-2"] as? [String: Any])?["seed-1"] as? [String: Any]
    #expect(relaxed?["learned_flow_equivariance_error"] is Double && relaxed?["test_mse"] is Double)
}

/// Stopped twice at step boundaries (in level 0's relaxed FERNN, then at level 1's start) and resumed, the
/// imperfect experiment measures exactly what the uninterrupted run measures.
@Test func aStoppedImperfectExperimentResumesExactly() throws {
    let (first, second) = (try temporaryDirectory("orbit-imperfect"), try temporaryDirectory("orbit-imperfect"))
    defer { for path in [first, second] { try? FileManager.default.removeItem(atPath: path) } }
    var chosen = PaperExperimentSettings(kind: .imperfect, models: [.init("grnn")!, .init("relaxed-fernn-v1")!])
    (chosen.seeds, chosen.levels, chosen.equivarianceSequences) = ([3], [0, 1], 2)
    let straight = try ImperfectFlowExperiment(experiment: chosen, settings: tinyFlowSettings(output: first, epochs: 2))
    #expect(try straight.run(resume: false, stop: { false }))

    // 2 steps per epoch, 2 epochs, 2 models per level: the 6th step boundary is in level 0's relaxed FERNN,
    // after its first step; resumed, the 4th is the first of level 1's G-RNN.
    var steps = 0
    #expect(try ImperfectFlowExperiment(experiment: chosen, settings: tinyFlowSettings(output: second, epochs: 2)).run(resume: false, stop: {
        steps += 1
        return steps == 6
    }) == false)
    steps = 0
    #expect(try ImperfectFlowExperiment(experiment: chosen, settings: tinyFlowSettings(output: second, epochs: 2)).run(resume: true, stop: {
        steps += 1
        return steps == 4
    }) == false)
    #expect(FileManager.default.fileExists(atPath: second + "/level-1/seed-3/grnn/checkpoint.safetensors"), "level 0 was not resumed")
    // What is left: level 1's two models, 4 steps each (a run that started over would take 16).
    steps = 0
    let finished = try ImperfectFlowExperiment(experiment: chosen, settings: tinyFlowSettings(output: second, epochs: 2))
    #expect(try finished.run(resume: true, stop: { steps += 1; return false }))
    #expect(steps == 8)
    for (a, b) in zip(finished.runs, straight.runs) {
        for name in ["grnn", "relaxed-fernn-v1"] {
            let (resumed, uninterrupted) = (try #require(a.report.results[name]?[3]), try #require(b.report.results[name]?[3]))
            #expect(resumed.trainingLosses == uninterrupted.trainingLosses && resumed.testMSE == uninterrupted.testMSE, "\(a.experiment.breaking) \(name)")
            #expect(resumed.learnedEquivarianceError == uninterrupted.learnedEquivarianceError, "\(a.experiment.breaking) \(name)")
        }
    }
    let summary = try String(contentsOfFile: second + "/results.md", encoding: .utf8)
    #expect(summary == (try String(contentsOfFile: first + "/results.md", encoding: .utf8)))
}

/// The relaxed FERNN's loss includes `relaxedFlowRegularizer`: trained with a large α, its combination
/// weights spread over the velocities less than with α = 0 (the same data, initialization and steps).
@Test func theRelaxedModelsLossIncludesTheRegulariser() throws {
    func spread(alpha: Double) throws -> Double {
        let directory = try temporaryDirectory("orbit-imperfect")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var chosen = PaperExperimentSettings(kind: .imperfect, models: [.init("relaxed-fernn-v1")!])
        (chosen.seeds, chosen.relaxedAlpha, chosen.equivarianceSequences) = ([1], alpha, 1)
        var settings = tinyFlowSettings(output: directory, epochs: 2)
        (settings.learningRate, settings.trainingSequences, settings.epochs) = (1e-2, 8, 1)
        let paper = try PaperExperiment(experiment: chosen, settings: settings)
        #expect(try paper.run(resume: false, stop: { false }))
        let saved = try Checkpoint(contentsOf: URL(fileURLWithPath: directory + "/seed-1/relaxed-fernn-v1/checkpoint.safetensors"))
        let weights = try #require(saved.modelState["cell.combinationWeights"])   // a [L, |V|]
        let deviation = weights - weights.mean(axis: 1, keepDimensions: true)
        return (deviation * deviation).sum().item
    }
    let (free, regularised) = (try spread(alpha: 0), try spread(alpha: 100))
    #expect(free > 1e-6, "training moves the coefficients apart, spread \(free)")
    #expect(regularised < free / 4, "α = 100 keeps them together: \(regularised) against \(free) with α = 0")
}
