import Foundation
import Orbit
import OrbitNN
import OrbitTraining
import OrbitExperiments
import Testing

// The main job end to end at a tiny size: both models train, the report and pictures are written, and a
// run stopped at a step boundary resumes to exactly the uninterrupted run.

private func tinyOptions(output: String) -> FlowSettings {
    var settings = FlowSettings()
    (settings.hiddenChannels, settings.decoderLayers) = (4, 0)
    (settings.inputFrames, settings.predictedFrames, settings.lengthFactor) = (3, 2, 2)
    (settings.trainingSequences, settings.testSequences, settings.validationSequences, settings.batchSize, settings.epochs) = (12, 6, 5, 4, 2)
    settings.outputDirectory = output
    return settings
}

@Test func theExperimentTrainsBothModelsAndWritesItsReport() throws {
    let directory = try temporaryDirectory("orbit-flows")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let experiment = try FlowExperiment(settings: tinyOptions(output: directory), resume: false)
    #expect(try experiment.train(stop: { false }))
    #expect(experiment.trainers.map(\.configuration.name) == ["grnn", "fernn-v1"])
    #expect(experiment.trainers.map { $0.model.cell.flows.count } == [1, 9])
    try experiment.report()
    let table = try String(contentsOfFile: directory + "/results.md", encoding: .utf8)
    #expect(table.contains("| grnn | 1 |") && table.contains("| fernn-v1 | 9 |"))
    let results = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/results.json"))) as? [String: Any]
    let curve = (results?["fernn-v1"] as? [String: Any])?["length_generalisation_mse"] as? [Double]
    #expect(curve?.count == 4 && curve!.allSatisfy { $0.isFinite && $0 >= 0 })
    let png = try Data(contentsOf: URL(fileURLWithPath: directory + "/predictions-0.png"))
    #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    // Each model: a validation MSE per epoch, its best epoch's weights in the model and on disk, a curve.
    for trainer in experiment.trainers {
        let folder = directory + "/" + trainer.configuration.name
        let metrics = try String(contentsOfFile: folder + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(metrics.count == 2 && metrics.allSatisfy { $0.contains("\"validation_mse\": ") })
        let best = try #require(trainer.selection.bestEpoch)
        let saved = try Checkpoint(contentsOf: URL(fileURLWithPath: folder + "/best.safetensors"))
        #expect(saved.metadata["training.epoch"] == "\(best + 1)")
        for (name, tensor) in trainer.model.stateDictionary where trainer.model.namedParameters.contains(where: { $0.name == name }) {
            #expect(saved.modelState[name]?.doubles == tensor.doubles, "\(name) is not the best epoch's")
        }
        #expect(FileManager.default.fileExists(atPath: folder + "/training-curve.png"))
    }
}

@Test func aStoppedExperimentResumesExactly() throws {
    let (first, second) = (try temporaryDirectory("orbit-flows"), try temporaryDirectory("orbit-flows"))
    defer { for path in [first, second] { try? FileManager.default.removeItem(atPath: path) } }
    let straight = try FlowExperiment(settings: tinyOptions(output: first), resume: false)
    #expect(try straight.train(stop: { false }))

    // 3 steps per epoch and model: stop in the G-RNN's second epoch, then in the FERNN's first.
    var steps = 0
    let interrupted = try FlowExperiment(settings: tinyOptions(output: second), resume: false)
    #expect(try interrupted.train(stop: { steps += 1; return steps == 5 }) == false)
    let resumed = try FlowExperiment(settings: tinyOptions(output: second), resume: true)
    let position = resumed.trainers[0].position
    #expect(position == TrainingPosition(epoch: 1, batch: 1, lossSum: position.lossSum, exampleCount: 4, seconds: position.seconds))
    steps = 0
    #expect(try resumed.train(stop: { steps += 1; return steps == 4 }) == false)
    let finished = try FlowExperiment(settings: tinyOptions(output: second), resume: true)
    #expect(try finished.train(stop: { false }))
    for (a, b) in zip(finished.trainers, straight.trainers) {
        #expect(a.history.map(\.trainingLoss) == b.history.map(\.trainingLoss), "\(a.configuration.name) losses")
        for ((name, x), (_, y)) in zip(a.model.stateDictionary, b.model.stateDictionary) {
            #expect(x.doubles == y.doubles, "\(a.configuration.name).\(name) differs")
        }
    }
}
