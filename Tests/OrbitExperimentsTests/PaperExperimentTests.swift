import Foundation
import Orbit
import OrbitDatasets
import OrbitExperiments
import OrbitModels
import Testing

// The paper's experiments (`orbit-flows --experiment`): the fixed-velocity test sets, and each experiment
// end to end at a tiny size (their command-line parsing is tested in OrbitFlowsTests).

/// Each fixed-velocity test set moves every digit by exactly its velocity: with one digit on the torus,
/// frame t + 1 is frame t rolled by (v.y, v.x).
@Test func theFixedVelocityTestSetsMoveAtTheirVelocity() throws {
    let directory = try temporaryDirectory("orbit-experiments")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var chosen = PaperExperimentSettings(kind: .translating)
    (chosen.gridRange, chosen.gridSequences, chosen.seeds) = (2, 3, [5])
    let paper = try PaperExperiment(experiment: chosen, settings: tinyFlowSettings(output: directory))
    let data = paper.data(seed: 5)
    #expect(data.velocityGrid.count == 25 && paper.gridVelocities.count == 25)
    for (velocity, source) in zip(paper.gridVelocities, data.velocityGrid) {
        let frames = source.prefix(3)
        #expect(frames.shape == [3, 4, 1, 28, 28])
        for time in 0..<3 {
            let moved = frames.slice(axis: 1, index: time).rolled(shifts: [velocity.y, velocity.x], axes: [-2, -1])
            #expect(moved.doubles == frames.slice(axis: 1, index: time + 1).doubles, "velocity \(velocity), frame \(time)")
        }
    }
}

/// The settings `--experiment translating --models grnn,fernn-v1 --seeds 1,2 --grid-range 1 --grid-sequences 2`,
/// `--experiment bouncing --models fernn-v1,fernn-v1-mix --seeds 1`, `--experiment rotating --seeds 1 --group-order 4`.
private let tinyExperiments: [PaperExperimentSettings] = {
    var translating = PaperExperimentSettings(kind: .translating, models: [.init(velocityRange: 0), .init(velocityRange: 1)])
    (translating.seeds, translating.gridRange, translating.gridSequences) = ([1, 2], 1, 2)
    var bouncing = PaperExperimentSettings(kind: .bouncing, models: [.init(velocityRange: 1), .init(velocityRange: 1, mixesVelocities: true)])
    bouncing.seeds = [1]
    var rotating = PaperExperimentSettings(kind: .rotating)
    (rotating.seeds, rotating.groupOrder) = ([1], 4)
    return [translating, bouncing, rotating]
}()

@Test(arguments: tinyExperiments)
func eachExperimentRunsEndToEnd(chosen: PaperExperimentSettings) throws {
    let directory = try temporaryDirectory("orbit-experiments")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let paper = try PaperExperiment(experiment: chosen, settings: tinyFlowSettings(output: directory))
    #expect(try paper.run(resume: false, stop: { false }))
    let table = try String(contentsOfFile: directory + "/results.md", encoding: .utf8)
    for model in chosen.models { #expect(table.contains("| \(model) |"), "\(model) row") }
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/results.json"))) as? [String: Any]
    let first = (json?[chosen.models[1].description] as? [String: Any])?["seed-1"] as? [String: Any]
    #expect((first?["length_generalisation_mse"] as? [Double])?.count == 4)
    #expect((first?["length_generalisation_intensity_ratio"] as? [Double])?.count == 4)
    #expect((first?["test_mse"] as? Double).map { $0.isFinite && $0 >= 0 } == true)
    #expect(FileManager.default.fileExists(atPath: directory + "/predictions-0.png"))
    #expect(FileManager.default.fileExists(atPath: directory + "/length-generalisation.png"))
    if chosen.kind == .translating {
        #expect((first?["velocity_grid_mse"] as? [Double])?.count == 9)
        #expect(table.contains("± ") && table.contains("Velocity generalisation"))
        let png = try Data(contentsOf: URL(fileURLWithPath: directory + "/velocity-grid-fernn-v1.png"))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        // The same run resumed from its finished checkpoints trains nothing and measures the same.
        let again = try PaperExperiment(experiment: chosen, settings: tinyFlowSettings(output: directory))
        #expect(try again.run(resume: true, stop: { false }))
        #expect(again.report.results["fernn-v1"]?[2]?.testMSE == paper.report.results["fernn-v1"]?[2]?.testMSE)
    }
}

/// `publish` ships the seed with the lowest best validation MSE, and the shipped file loads back (checksum
/// verified) into a model that measures exactly what the run measured; the comparison of shipped models rolls
/// them out and writes its table and pictures. A model the run did not train is refused by name.
@Test func publishedModelsLoadBackAndMeasureTheSame() throws {
    let directory = try temporaryDirectory("orbit-experiments")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let shipped = URL(fileURLWithPath: directory).appendingPathComponent("trained")
    var chosen = PaperExperimentSettings(kind: .translating, models: [.init(velocityRange: 0), .init(velocityRange: 1)])
    (chosen.seeds, chosen.gridRange) = ([1, 2], 0)
    let settings = tinyFlowSettings(output: directory + "/run")
    let paper = try PaperExperiment(experiment: chosen, settings: settings)
    #expect(try paper.run(resume: false, stop: { false }))
    let manifests = try paper.publish(["grnn", "fernn-v1"], to: shipped, commit: "abc123") { "make run ARGS=\"--seeds \($0)\"" }
    #expect(manifests.map(\.name) == ["1digit-grnn", "1digit-fernn-v1"])
    for manifest in manifests {
        let results = paper.report.results[manifest.architecture]!
        let best = results.min { $0.value.bestValidation < $1.value.bestValidation }!
        #expect(manifest.seed == best.key && manifest.commit == "abc123" && manifest.command == "make run ARGS=\"--seeds \(best.key)\"")
        #expect(manifest.metrics["test_mse"] == best.value.testMSE && manifest.metrics["mse_step_4"] == best.value.lengthCurve[3])
        var seedSettings = settings
        seedSettings.seed = best.key
        let model = try TrainedModels.load(manifest, from: shipped)
        #expect(meanPredictionError(model, on: paper.data(seed: best.key).test, settings: seedSettings) == best.value.testMSE)
    }
    #expect(throws: PaperExperiment.PublishError.self) { try paper.publish(["fernn-v2"], to: shipped, commit: "") { _ in "" } }

    var comparison = TrainedModelComparison()
    (comparison.steps, comparison.sequences, comparison.every) = (4, 3, 2)
    let mnist = try MNIST(split: .test, directory: try MNIST.defaultDirectory)
    let rows = try comparison.run(directory: shipped, testDigits: DigitPool(mnist), output: URL(fileURLWithPath: directory + "/report"))
    #expect(rows.count == 1 && rows[0].map(\.manifest.name) == ["1digit-grnn", "1digit-fernn-v1"])
    #expect(rows[0].allSatisfy { $0.curve.count == 4 && $0.curve.allSatisfy { $0.isFinite && $0 >= 0 } })
    #expect(rows[0].allSatisfy { $0.intensityRatio.count == 4 && $0.intensityRatio.allSatisfy(\.isFinite) })
    #expect(try String(contentsOfFile: directory + "/report/trained-1digit-v1.md", encoding: .utf8).contains("Predicted over true total intensity"))
    for file in ["trained-1digit-v1.md", "trained-1digit-v1-mse.png", "trained-1digit-v1-strip.png"] {
        #expect(FileManager.default.fileExists(atPath: directory + "/report/" + file), "\(file)")
    }
}

/// The velocity-generalisation section gives each model's MSE on the unseen velocities over the seen ones, for
/// the mean over seeds and per seed: trained on {-1..1}² (9 of the 25 cells), seed 1 has 1 inside and 3 outside,
/// seed 2 has 2 everywhere, so the mean grid has 1.5 and 2.5 (ratio 1.67) and the seeds 3.00 and 1.00. The
/// intensity table shows the mean over seeds of the intensity ratios (1.5 and 1.0: 1.250) at every 10th step.
@Test func theVelocityGridReportsUnseenOverSeen() throws {
    var chosen = PaperExperimentSettings(kind: .translating, models: [.init(velocityRange: 2)])
    (chosen.seeds, chosen.gridRange) = ([1, 2], 2)
    var settings = FlowSettings()
    settings.dataVelocityRange = 1
    let report = PaperExperimentReport(experiment: chosen, settings: settings)
    for (seed, inside, outside) in [(UInt64(1), 1.0, 3.0), (2, 2.0, 2.0)] {
        var result = PaperExperimentResult(parameters: 1, velocityCount: 25)
        let steps = settings.lengthFactor * settings.predictedFrames
        (result.testMSE, result.lengthCurve) = (1, Array(repeating: 1, count: steps))
        result.intensityCurve = Array(repeating: seed == 1 ? 1.5 : 1.0, count: steps)
        result.velocityGrid = PixelVector.grid(range: 2).map { abs($0.x) <= 1 && abs($0.y) <= 1 ? inside : outside }
        report.add(result, model: "fernn-v2", seed: seed)
    }
    let table = report.markdown()
    #expect(table.contains("mean 1.500e+00 on the training velocities, 2.500e+00 outside them (unseen / seen 1.67; per seed 3.00, 1.00)"),
            "\(table)")
    let tens = stride(from: 10, through: settings.lengthFactor * settings.predictedFrames, by: 10).map { _ in "1.250" }
    #expect(table.contains("| fernn-v2 | " + tens.joined(separator: " | ") + " |"), "\(table)")
}
