import Foundation
import OrbitExperiments
import OrbitModels
import OrbitTraining
import Testing

// The approximate-equivariance experiments at a tiny size, stopped at step boundaries (as Ctrl-C does) and
// resumed from their checkpoints: they report exactly the numbers of the uninterrupted run, train only the
// steps that were left, and refuse a changed option or a folder that already holds a checkpoint.

/// Section 5.2 at levels 0 and 1 on 8 x 8 fields: hidden 8 (2 regular C4 fields), 2 layers, 3 epochs of 15
/// steps (120 windows, batch 8) per model. Learning rate 3e-2, so that level 0's Conv has its best epoch
/// before the last (a resumed finished model must be restored to it, not kept at its last epoch).
private func tinyLevels(_ folder: String) -> ApproximateEquivarianceSettings {
    var settings = ApproximateEquivarianceSettings()
    (settings.levels, settings.pool, settings.seeds) = ([0, 1], 8, [0])
    settings.modelSettings = ModelSettings(hidden: 8, layers: 2, bankCount: 2, alpha: 1e-5, size: 64)
    settings.training = FluidTrainingSettings(epochs: 3, batchSize: 8, learningRate: 3e-2, decay: 0.95, earlyStopAfter: 100)
    (settings.cache, settings.output, settings.checkpoints) = (folder + "/cache", folder + "/levels", folder + "/checkpoints")
    return settings
}

/// Table 1 on the small plan, 2 + 2 rotation tasks, Conv, Equiv and RSteer, seeds 0 and 1: 3 epochs of 2 steps
/// (8 windows, batch 4) per model. Learning rate 1e-2, so that seed 0's Equiv has its best epoch before the last.
private func tinyTable(_ folder: String) -> ApproximateEquivarianceSettings {
    var settings = ApproximateEquivarianceSettings(symmetry: .rotation)
    (settings.plan, settings.taskLimit, settings.seeds, settings.trainWindows, settings.evaluationWindows) = (.small, 2, [0, 1], 8, 4)
    settings.modelSettings = ModelSettings(hidden: 8, layers: 2, bankCount: 2, alpha: 1e-5, size: 64)
    settings.training = FluidTrainingSettings(epochs: 3, batchSize: 4, learningRate: 1e-2, decay: 0.95, earlyStopAfter: 100)
    (settings.cache, settings.output, settings.checkpoints) = (folder + "/cache", folder + "/table.md", folder + "/checkpoints")
    return settings
}

/// A `shouldStop` that counts its calls (one per training step) and asks to stop at call `stopAt` (never when nil).
private final class StepCounter {
    var calls = 0
    let stopAt: Int?
    init(stoppingAt stopAt: Int? = nil) { self.stopAt = stopAt }
    func shouldStop() -> Bool {
        calls += 1
        return calls == stopAt
    }
}

private func levelNumbers(_ rows: [EquivarianceLevelExperiment.Row]) -> [[Double]] {
    rows.map { row in
        [Double(row.level), row.dataError, row.notebookError] + row.outcomes.sorted { $0.key < $1.key }.flatMap { _, outcomes in
            outcomes.flatMap { [$0.modelError, $0.validationRMSE, Double($0.bestEpoch)] }
        }
    }
}

private func tableNumbers(_ rows: [SmokePlumeExperiment.Row]) -> [[Double]] {
    rows.map { row in [Double(row.parameters)] + row.outcomes.flatMap { [$0.future, $0.domain, Double($0.bestEpoch)] } }
}

/// Stopped twice (in level 0's Equiv, then in level 1's Conv) and resumed, the levels experiment reports exactly
/// the uninterrupted run's numbers, trains only the 123 steps that were left of 270 and writes the same table.
@Test func aStoppedLevelsRunResumesExactly() throws {
    let (first, second) = (try temporaryDirectory("orbit-approx"), try temporaryDirectory("orbit-approx"))
    defer { for path in [first, second] { try? FileManager.default.removeItem(atPath: path) } }
    let straight = try #require(try EquivarianceLevelExperiment(settings: tinyLevels(first)).run())
    #expect(straight[0].outcomes["Conv"]?[0].bestEpoch == 1, "the settings no longer give a best epoch before the last")

    // 45 steps per model: call 51 stops after Conv and 5 steps of Equiv; 97 more end 12 steps into level 1's Conv.
    let experiment = EquivarianceLevelExperiment(settings: tinyLevels(second))
    let stop = StepCounter(stoppingAt: 51), again = StepCounter(stoppingAt: 98), rest = StepCounter()
    #expect(try experiment.run(shouldStop: stop.shouldStop) == nil)
    #expect(try experiment.run(resume: true, shouldStop: again.shouldStop) == nil)
    let resumed = try #require(try experiment.run(resume: true, shouldStop: rest.shouldStop))
    #expect(rest.calls == 270 - 50 - 97, "steps trained after the second stop")
    #expect(levelNumbers(resumed) == levelNumbers(straight))
    func tableRows(_ folder: String) throws -> [Substring] {
        try String(contentsOfFile: folder + "/levels.md", encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("| 0 |") || $0.hasPrefix("| 1 |") }
    }
    #expect(try tableRows(second) == tableRows(first) && tableRows(first).count == 2)
    // The Trainer's files in each model's folder; one metrics line per epoch, whichever run finished it.
    for level in 0..<2 {
        for model in EquivarianceLevelExperiment.models {
            let folder = experiment.folder(model, level: level, seed: 0).path
            for file in ["checkpoint.safetensors", "best.safetensors", "training-curve.png"] {
                #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "\(folder)/\(file)")
            }
            #expect(try String(contentsOfFile: folder + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").count == 3, "\(folder)")
        }
    }
    #expect(experiment.folder(.equivariant, level: 1, seed: 0).path == second + "/checkpoints/levels/level-1/seed-0/equiv")
}

/// The levels run trains seed by seed, each seed at every level, so that a run stopped part-way already has
/// whole seeds: stopped one step into its second model (Conv alone, 45 steps per model), that model is seed 0's
/// at level 1, and seed 1 has not begun.
@Test func theLevelsRunTrainsSeedBySeed() throws {
    let folder = try temporaryDirectory("orbit-approx")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var settings = tinyLevels(folder)
    (settings.seeds, settings.models) = ([0, 1], [.conv])
    let experiment = EquivarianceLevelExperiment(settings: settings)
    let order = [(0, 0), (1, 0), (0, 1), (1, 1)].map { level, seed in
        experiment.folder(.conv, level: level, seed: UInt64(seed)).appendingPathComponent("checkpoint.safetensors")
    }
    #expect(experiment.checkpoints == order)
    let stop = StepCounter(stoppingAt: 47)
    #expect(try experiment.run(shouldStop: stop.shouldStop) == nil)
    let exists = order.map { FileManager.default.fileExists(atPath: $0.path) }
    #expect(exists == [true, true, false, false], "\(exists)")
}

/// Stopped twice (in seed 0's RSteer, then in seed 1's Conv) and resumed, Table 1 reports exactly the
/// uninterrupted run's numbers and trains only the 15 steps that were left of 36.
@Test func aStoppedTableRunResumesExactly() throws {
    let (first, second) = (try temporaryDirectory("orbit-approx"), try temporaryDirectory("orbit-approx"))
    defer { for path in [first, second] { try? FileManager.default.removeItem(atPath: path) } }
    let straight = try #require(try SmokePlumeExperiment(settings: tinyTable(first)).run())
    #expect(straight.map(\.model) == ["Conv", "Equiv (steerable)", "RSteer"])
    #expect(straight[1].outcomes[0].bestEpoch < 3, "the settings no longer give a best epoch before the last")

    // 6 steps per model: call 14 stops after seed 0's Conv and Equiv and one step of RSteer; 8 more end 3 steps into seed 1's Conv.
    let experiment = SmokePlumeExperiment(settings: tinyTable(second))
    let stop = StepCounter(stoppingAt: 14), again = StepCounter(stoppingAt: 9), rest = StepCounter()
    #expect(try experiment.run(shouldStop: stop.shouldStop) == nil)
    #expect(try experiment.run(resume: true, shouldStop: again.shouldStop) == nil)
    let resumed = try #require(try experiment.run(resume: true, shouldStop: rest.shouldStop))
    #expect(rest.calls == 36 - 13 - 8, "steps trained after the second stop")
    #expect(resumed.map(\.model) == straight.map(\.model))
    #expect(tableNumbers(resumed) == tableNumbers(straight))
    for url in experiment.checkpoints { #expect(FileManager.default.fileExists(atPath: url.path), "\(url.path)") }
    #expect(experiment.folder(.relaxedSteerable, seed: 1).path == second + "/checkpoints/table-rotation/seed-1/rsteer")
}

/// Resuming with an option that changes the result is refused, naming it; more epochs continue, fewer are refused.
@Test func resumingWithAChangedOptionIsRefused() throws {
    let folder = try temporaryDirectory("orbit-approx")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var settings = tinyLevels(folder)
    (settings.levels, settings.training.epochs) = ([0], 1)
    #expect(try EquivarianceLevelExperiment(settings: settings).run() != nil)
    func refusal(_ change: (inout ApproximateEquivarianceSettings) -> Void) -> String {
        var changed = settings
        change(&changed)
        do {
            _ = try EquivarianceLevelExperiment(settings: changed).run(resume: true)
            return "resumed"
        } catch {
            return "\(error)"
        }
    }
    #expect(refusal { $0.modelSettings.hidden = 4 }.contains("hidden was 8, now 4"))
    #expect(refusal { $0.training.learningRate = 1e-3 }.contains("learningRate was 0.03, now 0.001"))
    #expect(refusal { $0.modelSettings.relaxedInitialization = .referenceRandom }.contains("relaxedInitialization was equivariant, now referenceRandom"))
    #expect(refusal { $0.pool = 4 }.contains("pool was 8, now 4"))
    #expect(refusal { $0.training.epochs = 0 }.contains("epochs was at least 1, now 0"))
    #expect(refusal { $0.training.epochs = 2 } == "resumed")
}

/// Without resuming, a folder that holds a checkpoint is refused before anything runs, naming the folder and
/// the ways out, and its files are left as they were.
@Test func anExistingCheckpointIsNotOverwritten() throws {
    let folder = try temporaryDirectory("orbit-approx")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var settings = tinyLevels(folder)
    (settings.levels, settings.training.epochs) = ([0], 1)
    let experiment = EquivarianceLevelExperiment(settings: settings)
    #expect(try experiment.run() != nil)
    let metrics = experiment.folder(.conv, level: 0, seed: 0).appendingPathComponent("metrics.jsonl")
    let before = try Data(contentsOf: metrics)
    try FileManager.default.removeItem(atPath: settings.cache)   // refused before simulating: the cache stays away
    let calls = StepCounter()
    let error = try #require(throws: ExistingCheckpointError.self) { try experiment.run(shouldStop: calls.shouldStop) }
    let message = error.description
    #expect(message.hasPrefix(folder + "/checkpoints/levels/level-0/seed-0/conv already holds a checkpoint (and 2 more model folders)"), "\(message)")
    #expect(message.contains("pass --resume") && message.contains("another --checkpoints folder"), "\(message)")
    let after = try Data(contentsOf: metrics)
    #expect(calls.calls == 0 && after == before && !FileManager.default.fileExists(atPath: settings.cache))
}
