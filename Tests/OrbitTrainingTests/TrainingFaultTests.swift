import Foundation
import Orbit
import OrbitNN
import OrbitOptimizers
import Testing
@testable import OrbitTraining

// What a run leaves behind when things go wrong: a diverging loss, a corrupted or NaN checkpoint, temporary
// files of killed writes, a kill between the checkpoint and the metrics line.

@Test func aDivergingLossStopsAtItsStepAndKeepsTheLastGoodCheckpoint() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var base = configuration(epochs: 1, in: directory)
    base.settings = ["case": "diverging"]
    #expect(try makeTrainer(base).run())
    let good = try Data(contentsOf: directory.appendingPathComponent("checkpoint.safetensors"))
    var longer = base
    longer.epochs = 3
    let diverging = try makeTrainer(longer, learningRate: 0.05)
    try diverging.resume()
    // Make the next step's loss infinite: a weight so large that its square overflows.
    diverging.model.weight.value = Tensor([1e200, 0, 0, 0], shape: [1, 4], dtype: .float64)
    do {
        try diverging.run()
        Issue.record("a non-finite loss did not stop training")
    } catch let error as TrainingError {
        guard case .nonFinite(_, let epoch, let step, let loss, _, _) = error else { Issue.record("\(error)"); return }
        #expect(epoch == 2 && step == 1 && loss == .infinity)
        #expect("\(error)".contains("epoch 2, step 1") && "\(error)".contains("checkpoint.safetensors"))
    }
    #expect(try Data(contentsOf: directory.appendingPathComponent("checkpoint.safetensors")) == good)
    let lines = try String(contentsOf: directory.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2 && lines[1].contains("\"event\": \"non-finite\"") && lines[1].contains("\"loss\": null"))
}

@Test func aLearningRateThatIsNotPositiveAndFiniteIsRefusedAtItsEpoch() throws {
    for rate in [Double.infinity, .nan, 0, -1] {
        do {
            try makeTrainer(configuration(epochs: 1, in: nil), learningRate: rate).run()
            Issue.record("learning rate \(rate) accepted")
        } catch let error as TrainingError {
            guard case .invalidLearningRate(_, 1, _) = error else { Issue.record("\(error)"); continue }
        }
    }
}

@Test func aCorruptedByteOrANaNWeightStopsTheLoadNamingIt() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("checkpoint.safetensors")
    let trainer = try makeTrainer(configuration(epochs: 1, in: directory))
    try trainer.run()
    var bytes = [UInt8](try Data(contentsOf: url))
    _ = try Checkpoint(contentsOf: url)
    bytes[bytes.count - 3] ^= 0x10                              // one bit of the last tensor's data
    try Data(bytes).write(to: url)
    #expect { try Checkpoint(contentsOf: url) } throws: { "\($0)".contains("is corrupted") }

    trainer.model.bias!.value = Tensor([.nan], shape: [1], dtype: .float64)
    try Checkpoint(model: trainer.model).write(to: url)
    #expect { try Checkpoint(contentsOf: url) } throws: { "\($0)".contains("model tensor bias holds a NaN") }
}

@Test func temporaryFilesOfDeadWritersAreRemovedAtStart() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var dead: Int32 = 4_000_000                                 // above any pid_max: no such process
    while kill(dead, 0) == 0 || errno != ESRCH { dead += 1 }
    let stale = directory.appendingPathComponent(".checkpoint.safetensors.\(dead).12345.tmp")
    let live = directory.appendingPathComponent(".checkpoint.safetensors.\(getppid()).67890.tmp")  // a running process
    let unrelated = directory.appendingPathComponent(".notes.txt.\(dead).1.tmp")
    for url in [stale, live, unrelated] { try Data([1, 2, 3]).write(to: url) }
    _ = try makeTrainer(configuration(epochs: 1, in: directory))
    #expect(!FileManager.default.fileExists(atPath: stale.path))
    #expect(FileManager.default.fileExists(atPath: live.path) && FileManager.default.fileExists(atPath: unrelated.path))
}

@Test func metricsAgreeWithTheCheckpointAfterAKillBetweenTheTwo() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let metricsURL = directory.appendingPathComponent("metrics.jsonl")
    #expect(try makeTrainer(configuration(epochs: 2, in: directory)).run())
    let complete = try String(contentsOf: metricsURL, encoding: .utf8)
    // As if killed after epoch 2's checkpoint and before its metrics line.
    let firstLine = complete.split(separator: "\n")[0] + "\n"
    try Data(firstLine.utf8).write(to: metricsURL)
    let resumed = try makeTrainer(configuration(epochs: 2, in: directory))
    try resumed.resume()
    #expect(try String(contentsOf: metricsURL, encoding: .utf8) == complete)
    // A fresh (not resumed) run in the same folder starts its metrics over.
    _ = try makeTrainer(configuration(epochs: 2, in: directory))
    #expect(try String(contentsOf: metricsURL, encoding: .utf8).isEmpty)
}
