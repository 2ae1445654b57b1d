import Foundation
import Orbit
import OrbitNN
import OrbitOptimizers
import Testing
@testable import OrbitTraining

// The training loop on a tiny regression (Linear 4 -> 1, 32 examples, 4 batches per epoch): exact resume,
// settings checks, best-epoch selection, early stopping, and what a diverging run leaves behind.

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-training-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Inputs [32, 4] and targets [32, 1] = inputs · w + noise, fixed by the seed.
let regression: (inputs: Tensor, targets: Tensor) = {
    var generator = RandomGenerator(seed: 7)
    let inputs = Tensor.randomNormal([32, 4], dtype: .float64, using: &generator)
    let weights = Tensor([0.5, -1.0, 2.0, 0.25], shape: [4, 1], dtype: .float64)
    return (inputs, matmul(inputs, weights) + 0.1 * Tensor.randomNormal([32, 1], dtype: .float64, using: &generator))
}()

/// Batches of 8 in an order drawn from the epoch.
func regressionBatches() -> TrainingBatches<(Tensor, Tensor)> {
    TrainingBatches(batchCount: 4, examples: { $0.0.shape[0] }) { epoch, first in
        var generator = RandomGenerator(seed: 100 + UInt64(epoch))
        let order = (0..<32).shuffled(using: &generator)
        return (first..<4).map { batch in
            let rows = Array(order[(batch * 8)..<(batch * 8 + 8)])
            return (regression.inputs.indexSelect(axis: 0, rows), regression.targets.indexSelect(axis: 0, rows))
        }
    }
}

/// `score` maps the validation MSE to the score that selects the best epoch.
func makeTrainer(_ configuration: TrainingConfiguration, learningRate: Double = 0.05,
                 score: @escaping (Double) -> Double = { $0 }) throws -> Trainer<Linear, (Tensor, Tensor)> {
    var generator = RandomGenerator(seed: 1)
    let model = Linear(inputFeatures: 4, outputFeatures: 1, dtype: .float64, using: &generator)
    var configuration = configuration
    configuration.learningRate = ExponentialDecay(initial: learningRate, factor: 0.9)
    configuration.showsProgress = false
    configuration.settings["learning_rate"] = "\(learningRate)"
    // Validation on the first 16 examples.
    let validationSet = (regression.inputs.slice(axis: 0, 0..<16), regression.targets.slice(axis: 0, 0..<16))
    return try Trainer(model: model, optimizer: Adam(), data: regressionBatches(), configuration: configuration,
                       validation: { Evaluation(score: score(meanSquaredError($0(validationSet.0), validationSet.1).item)) }) { batch, _ in
        meanSquaredError(model(batch.0), batch.1)
    }
}

func configuration(epochs: Int, in directory: URL?) -> TrainingConfiguration {
    var configuration = TrainingConfiguration(epochs: epochs)
    configuration.directory = directory
    return configuration
}

func weights(_ model: Linear) -> [[Double]] { model.stateDictionary.map(\.tensor.doubles) }

@Test func aRunStoppedAtAnyStepResumesToTheUninterruptedRun() throws {
    let straight = try makeTrainer(configuration(epochs: 3, in: nil))
    #expect(try straight.run())
    for stopAfter in [1, 4, 6, 11] {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try makeTrainer(configuration(epochs: 3, in: directory))
        var steps = 0
        first.shouldStop = { steps += 1; return steps > stopAfter }
        #expect(try first.run() == false)
        #expect(first.position.epoch * 4 + first.position.batch == stopAfter)
        let resumed = try makeTrainer(configuration(epochs: 3, in: directory))
        try resumed.resume()
        #expect(resumed.position == first.position)
        #expect(try resumed.run())
        #expect(resumed.history.map(\.trainingLoss) == straight.history.map(\.trainingLoss))
        #expect(resumed.history.map(\.validation) == straight.history.map(\.validation))
        #expect(weights(resumed.model) == weights(straight.model))
        let lines = try String(contentsOf: directory.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3 && lines[2].hasPrefix("{\"epoch\": 3,"))
    }
}

@Test func resumingNamesEachSettingThatDiffersAndAllowsMoreEpochs() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var base = configuration(epochs: 1, in: directory)
    base.settings = ["hidden": "16", "seed": "1"]
    #expect(try makeTrainer(base).run())
    var longer = base
    longer.epochs = 2
    try makeTrainer(longer).resume()
    var other = base
    other.settings["hidden"] = "32"
    other.settings["frames"] = "10"
    do {
        try makeTrainer(other, learningRate: 0.01).resume()
        Issue.record("resumed with other settings")
    } catch let error as TrainingError {
        guard case .incompatibleCheckpoint(_, let differences) = error else { Issue.record("\(error)"); return }
        #expect(differences == ["frames was not set, now 10", "hidden was 16, now 32", "learning_rate was 0.05, now 0.01"])
    }
    // A copied run folder resumes: the folder is not a setting.
    let copy = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: copy) }
    try FileManager.default.copyItem(at: directory.appendingPathComponent("checkpoint.safetensors"),
                                     to: copy.appendingPathComponent("checkpoint.safetensors"))
    var moved = base
    moved.directory = copy
    try makeTrainer(moved).resume()
    let empty = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect(throws: TrainingError.noCheckpoint(name: "model", path: empty.appendingPathComponent("checkpoint.safetensors").path)) {
        try makeTrainer(configuration(epochs: 1, in: empty)).resume()
    }
}

@Test func theBestEpochIsKeptSavedAndRestoredAcrossAResume() throws {
    // The validation MSE falls epoch after epoch here; scoring |MSE - MSE of epoch 3| makes epoch 3 the best.
    let plain = try makeTrainer(configuration(epochs: 6, in: nil))
    #expect(try plain.run())
    let mse = plain.history.compactMap(\.validation)
    #expect(Set(mse).count == 6)
    var base = configuration(epochs: 6, in: nil)
    base.restoresBestEpoch = true
    let straight = try makeTrainer(base, score: { abs($0 - mse[2]) })
    #expect(try straight.run())
    #expect(straight.selection.bestEpoch == 2)
    let validationSet = (regression.inputs.slice(axis: 0, 0..<16), regression.targets.slice(axis: 0, 0..<16))
    #expect(meanSquaredError(straight.model(validationSet.0), validationSet.1).item == mse[2])   // epoch 3's weights are back

    // Stopped in epoch 4 (after the best epoch was saved) and resumed: the same model at the end.
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    base.directory = directory
    let first = try makeTrainer(base, score: { abs($0 - mse[2]) })
    var steps = 0
    first.shouldStop = { steps += 1; return steps > 14 }
    #expect(try first.run() == false)
    let resumed = try makeTrainer(base, score: { abs($0 - mse[2]) })
    try resumed.resume()
    #expect(resumed.selection.bestEpoch == 2 && resumed.selection.snapshot != nil)
    #expect(try resumed.run())
    #expect(weights(resumed.model) == weights(straight.model))
    let saved = try Checkpoint(contentsOf: directory.appendingPathComponent("best.safetensors"))
    #expect(saved.metadata["training.epoch"] == "3")
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("training-curve.png").path))
}

@Test func earlyStoppingEndsTheRunAndStaysEnded() throws {
    #expect(EarlyStopping.patience(epochs: 2).shouldStop(after: [3, 2, 2.5, 2.1]))
    #expect(!EarlyStopping.patience(epochs: 2).shouldStop(after: [3, 2, 2.5]))
    #expect(!EarlyStopping.patience(epochs: 2).shouldStop(after: [3, 2, 2.5, 1.9]))
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var stopping = configuration(epochs: 30, in: directory)
    stopping.earlyStopping = .patience(epochs: 1)
    let trainer = try makeTrainer(stopping, learningRate: 0.3)
    #expect(try trainer.run())
    #expect(trainer.position.stoppedEarly && trainer.history.count < 30)
    let resumed = try makeTrainer(stopping, learningRate: 0.3)
    try resumed.resume()
    #expect(resumed.isFinished && resumed.history == trainer.history)
}

@Test func anEpochStoppedAndResumedRecordsTheSecondsOfBothParts() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // Three slow steps (the stop is asked before each), then the stop at the fourth: at least 0.3 s in epoch 1.
    let first = try makeTrainer(configuration(epochs: 1, in: directory))
    var steps = 0
    first.shouldStop = { steps += 1; Thread.sleep(forTimeInterval: 0.1); return steps > 3 }
    #expect(try first.run() == false)
    #expect(first.position.seconds >= 0.3)
    let resumed = try makeTrainer(configuration(epochs: 1, in: directory))
    try resumed.resume()
    #expect(try resumed.run())
    #expect(resumed.history[0].seconds >= 0.3)
    // A checkpoint from before the field existed resumes with none spent.
    let old = #"{"batch":2,"epoch":0,"exampleCount":16,"lossSum":1.5,"stoppedEarly":false}"#
    #expect(try TrainingFiles.decoder.decode(TrainingPosition.self, from: Data(old.utf8)) == TrainingPosition(batch: 2, lossSum: 1.5, exampleCount: 16))
}
