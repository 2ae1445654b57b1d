import Foundation
import Orbit
import OrbitNN
import OrbitOptimizers
import Testing
@testable import OrbitTraining

// Data-parallel training without MPI: ranks are threads (ThreadCommunicator.swift). The arithmetic (shards,
// weighted sums in buckets), then the Trainer: N ranks with shards of each batch give the one-process model
// (float64, to 1e-12), only rank 0 writes, a checkpoint resumes on any number of ranks, a stop on one rank
// stops all, and ranks that disagree fail together.

@Test(arguments: [(8, 2), (8, 3), (7, 4), (2, 3), (0, 2), (30, 1)])
func shardsAreBalancedContiguousBlocksInRankOrder(count: Int, size: Int) {
    let shards = (0..<size).map { DataParallel.shard(of: count, rank: $0, size: size) }
    #expect(shards.flatMap { Array($0) } == Array(0..<count))
    #expect(shards.map(\.count) == (0..<size).map { count / size + ($0 < count % size ? 1 : 0) })
}

@Test func summedGradientsAreTheWeightedSumOverRanksInBuckets() throws {
    // Rank r has gradients (r + 1)·base for a float32 [3] and a float64 [2, 2] parameter, rank 1 alone one for
    // a float64 [2], nobody one for the last; weights 3/8, 3/8, 2/8 (shards of 8 examples on 3 ranks).
    let base32: [Float] = [1, -2, 0.5], base64: [Double] = [0.25, 1, -3, 2]
    let outcomes = ThreadGroup(size: 3).run { communicator -> [[Double]?] in
        let parameters = [Parameter(Tensor.zeros([3])), Parameter(Tensor.zeros([2, 2], dtype: .float64)),
                          Parameter(Tensor.zeros([2], dtype: .float64)), Parameter(Tensor.zeros([5]))]
        let scale = Double(communicator.rank + 1)
        var gradients = Gradients()
        gradients[parameters[0]] = Tensor(base32.map { $0 * Float(scale) }, shape: [3])
        gradients[parameters[1]] = Tensor(base64.map { $0 * scale }, shape: [2, 2])
        if communicator.rank == 1 { gradients[parameters[2]] = Tensor([7.0, 8.0], shape: [2]) }
        let weight = Double(DataParallel.shard(of: 8, rank: communicator.rank, size: 3).count) / 8
        let summed = try DataParallel.sumGradients(gradients, weightedBy: weight, parameters: parameters, communicator: communicator,
                                                   bucketElements: 2)
        return parameters.map { summed.contains($0) ? summed[$0].doubles : nil }
    }
    let factor = 3.0 / 8 * 1 + 3.0 / 8 * 2 + 2.0 / 8 * 3   // Σ_r w_r (r + 1)
    for outcome in outcomes {
        let values = try outcome.get()
        #expect(values[0]!.indices.allSatisfy { abs(values[0]![$0] - Double(base32[$0]) * factor) < 1e-6 })
        #expect(values[1]!.indices.allSatisfy { abs(values[1]![$0] - base64[$0] * factor) < 1e-15 })
        let onlyRank1: [Double] = [7 * 0.375, 8 * 0.375]   // rank 1's weight, 3/8
        #expect(values[2] == onlyRank1)
        #expect(values[3] == nil)
        #expect(values == (try outcomes[0].get()))
    }
}

@Test func aFailureOnOneRankIsThrownOnEveryRank() {
    struct Broken: Error, CustomStringConvertible { var description: String { "disk full" } }
    let outcomes = ThreadGroup(size: 3).run { communicator in
        try communicator.collectively("model") { if communicator.rank == 1 { throw Broken() } }
    }
    #expect(throws: DataParallelError.rankFailed(name: "model", rank: 1, reason: "disk full")) { try outcomes[0].get() }
    #expect(throws: Broken.self) { try outcomes[1].get() }
    #expect(throws: DataParallelError.rankFailed(name: "model", rank: 1, reason: "disk full")) { try outcomes[2].get() }
}

/// A float64 multilayer perceptron 4 -> 6 -> 1 (tanh): small, but not linear in its parameters.
final class TinyPerceptron: Layer {
    let hidden: Linear, output: Linear
    init(seed: UInt64 = 3) {
        var generator = RandomGenerator(seed: seed)
        hidden = Linear(inputFeatures: 4, outputFeatures: 6, dtype: .float64, using: &generator)
        output = Linear(inputFeatures: 6, outputFeatures: 1, dtype: .float64, using: &generator)
    }
    func callAsFunction(_ input: Tensor) -> Tensor { output(tanh(hidden(input))) }
}

/// The first 30 regression examples in batches of `size` (8: the last of 6), ordered by the epoch, cut along axis 0.
func shardableBatches(batchCount: Int = 4, size: Int = 8) -> TrainingBatches<(Tensor, Tensor)> {
    TrainingBatches(batchCount: batchCount, examples: { $0.0.shape[0] }, slice: { ($0.0.slice(axis: 0, $1), $0.1.slice(axis: 0, $1)) }) {
        epoch, first in
        var generator = RandomGenerator(seed: 200 + UInt64(epoch))
        let order = (0..<30).shuffled(using: &generator)
        return (first..<batchCount).map { batch in
            let rows = Array(order[(batch * size)..<min(batch * size + size, 30)])
            return (regression.inputs.indexSelect(axis: 0, rows), regression.targets.indexSelect(axis: 0, rows))
        }
    }
}

/// A trainer of `TinyPerceptron` with Adam (or SGD with momentum, which unlike Adam is not blind to a gradient
/// scaled by a constant), clipping (active in some steps) and validation; ranks other than 0 initialize their
/// models from another seed (training must start from rank 0's weights).
func makeParallelTrainer(epochs: Int, directory: URL? = nil, communicator: (any GradientCommunicator)? = nil,
                         settings: [String: String] = [:], batchCount: Int = 4, batchSize: Int = 8,
                         sgd: Bool = false, restoresBest: Bool = true) throws -> Trainer<TinyPerceptron, (Tensor, Tensor)> {
    let model = TinyPerceptron(seed: 3 + UInt64(communicator?.rank ?? 0))
    var configuration = TrainingConfiguration(epochs: epochs)
    (configuration.directory, configuration.settings, configuration.clipNorm) = (directory, settings, 4)
    configuration.learningRate = ExponentialDecay(initial: 0.05, factor: 0.9)
    (configuration.showsProgress, configuration.restoresBestEpoch) = (false, restoresBest)
    let validationSet = (regression.inputs.slice(axis: 0, 16..<32), regression.targets.slice(axis: 0, 16..<32))
    let optimizer: any Optimizer = sgd ? SGD(learningRate: 0.05, momentum: 0.9) : Adam()
    return try Trainer(model: model, optimizer: optimizer, data: shardableBatches(batchCount: batchCount, size: batchSize), configuration: configuration,
                       communicator: communicator,
                       validation: { Evaluation(score: meanSquaredError($0(validationSet.0), validationSet.1).item) }) { batch, _ in
        meanSquaredError(model(batch.0), batch.1)
    }
}

/// The largest |a - b| / max(1, |b|) over all weights.
func largestDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
    zip(a.joined(), b.joined()).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
}

func weights(_ model: TinyPerceptron) -> [[Double]] { model.stateDictionary.map(\.tensor.doubles) }

@Test(arguments: [(2, false), (2, true), (3, false), (5, true)])
func ranksWithShardsOfEachBatchTrainTheOneProcessModel(ranks: Int, sgd: Bool) throws {
    // Without restoring the best epoch, no last broadcast of rank 0's state hides what the other ranks recorded.
    let single = try makeParallelTrainer(epochs: 3, sgd: sgd, restoresBest: !sgd)
    #expect(try single.run())
    // 5 ranks: shards of 2, 2, 2, 1, 1 for a batch of 8 and 2, 1, 1, 1, 1 for the last batch of 6.
    let outcomes = ThreadGroup(size: ranks).run { communicator in
        let trainer = try makeParallelTrainer(epochs: 3, communicator: communicator, sgd: sgd, restoresBest: !sgd)
        try trainer.run()
        return (weights(trainer.model), trainer.history.map(\.trainingLoss), trainer.selection.bestEpoch, trainer.history.map(\.validation))
    }
    let rankZeroValidation = try outcomes[0].get().3
    for outcome in outcomes {
        let (parallel, losses, best, validation) = try outcome.get()
        #expect(validation == rankZeroValidation)
        #expect(largestDifference([validation.map { $0 ?? .nan }], [single.history.map { $0.validation! }]) < 1e-12)
        #expect(largestDifference(parallel, weights(single.model)) < 1e-12)
        #expect(largestDifference([losses], [single.history.map(\.trainingLoss)]) < 1e-12)
        #expect(best == single.selection.bestEpoch)
    }
}

@Test func onlyRankZeroWritesAndACheckpointResumesOnAnyNumberOfRanks() throws {
    let single = try makeParallelTrainer(epochs: 3)
    #expect(try single.run())
    let (directory, other) = (try temporaryDirectory(), try temporaryDirectory())
    defer { for url in [directory, other] { try? FileManager.default.removeItem(at: url) } }
    try FileManager.default.removeItem(at: other)
    // Two ranks; rank 1 asks to stop after 6 steps (epoch 2, batch 3): both stop, rank 0 saves the checkpoint.
    let stopped = ThreadGroup(size: 2).run { communicator in
        let trainer = try makeParallelTrainer(epochs: 3, directory: communicator.rank == 0 ? directory : other, communicator: communicator)
        var steps = 0
        trainer.shouldStop = { steps += 1; return communicator.rank == 1 && steps > 6 }
        return (try trainer.run(), trainer.position)
    }
    for outcome in stopped {
        let (finished, position) = try outcome.get()
        #expect(!finished && position.epoch == 1 && position.batch == 2 && position.exampleCount == 16)
    }
    #expect(!FileManager.default.fileExists(atPath: other.path))
    // Resumed by three ranks (rank 0 reads the files; the others get its state; rank 2 has no folder at all) and by one process.
    let resumed = ThreadGroup(size: 3).run { communicator in
        let folder = [directory, other, nil][communicator.rank]
        let trainer = try makeParallelTrainer(epochs: 3, directory: folder, communicator: communicator)
        try trainer.resumeIfCheckpointExists()
        let position = trainer.position
        try trainer.run()
        return (position, weights(trainer.model))
    }
    for outcome in resumed {
        let (position, resumedWeights) = try outcome.get()
        #expect(position.epoch == 1 && position.batch == 2)
        #expect(largestDifference(resumedWeights, weights(single.model)) < 1e-12)
    }
    let alone = try makeParallelTrainer(epochs: 3, directory: directory)
    try alone.resume()
    #expect(alone.isFinished && largestDifference(weights(alone.model), weights(single.model)) < 1e-12)
    #expect(!FileManager.default.fileExists(atPath: other.path))
}

@Test func ranksThatDisagreeFailTogetherNamingWhat() {
    let outcomes = ThreadGroup(size: 2).run { communicator in
        try makeParallelTrainer(epochs: 1, communicator: communicator, settings: ["hidden": communicator.rank == 0 ? "16" : "32"],
                                batchCount: 4 - communicator.rank).run()
    }
    for outcome in outcomes {
        let error = #expect(throws: DataParallelError.self) { try outcome.get() }
        guard case .ranksDisagree(_, let differences)? = error else { Issue.record("\(String(describing: error))"); continue }
        #expect(differences.count == 2 && differences[0].hasPrefix("settings (from 0x"))
        #expect(differences.last == "batches per epoch (from 3 to 4 over 2 ranks)")
    }
    // Same number of batches, other batch sizes: found at the first step.
    let steps = ThreadGroup(size: 2).run { communicator in
        try makeParallelTrainer(epochs: 1, communicator: communicator, batchCount: 3, batchSize: 8 + communicator.rank).run()
    }
    for (rank, outcome) in steps.enumerated() {
        let difference = "the examples in batch 1 of epoch 1 (\(8 + rank) here, 8.5 on average over 2 ranks)"
        #expect(throws: DataParallelError.ranksDisagree(name: "model", differences: [difference])) { try outcome.get() }
    }
}
