import Foundation
import Orbit
import OrbitNN
import OrbitOptimizers

// How `Trainer` trains on several ranks (Docs/Distributed.md). Every rank runs the same loop and makes the
// same collective calls in the same order:
//
//   run()          fingerprints agree (else DataParallelError.ranksDisagree on every rank), then rank 0's
//                  state (weights, buffers, optimizer state, position, history) is broadcast
//   each step      the rank's shard of the global batch → local mean loss L_r and gradient g_r;
//                  one allreduce of [b_r·L_r, B, B², stop] (float64), then Σ_r (b_r/B)·g_r in flat
//                  buckets (DataParallel.sumGradients); clipping and the optimizer step on the sum
//   each epoch     rank 0 validates and broadcasts its Evaluation; rank 0 writes the files (a failure
//                  there is made collective); the ranks' weights are checked to be identical
//
// Without a communicator every helper here runs the one-process path and makes no call.

extension Trainer {
    var isRankZero: Bool { (communicator?.rank ?? 0) == 0 }

    /// Runs `body` on rank 0 only; data-parallel, a failure there is thrown on every rank
    /// (`GradientCommunicator.collectively`).
    func onRankZero(_ body: () throws -> Void) throws {
        guard let communicator else { return try body() }
        try communicator.collectively(configuration.name) { if communicator.rank == 0 { try body() } }
    }

    /// Before training: the ranks agree on what they train, then take rank 0's state.
    func synchronize() throws {
        guard let communicator else { return }
        try communicator.requireAgreement(fingerprints(), name: configuration.name)
        try broadcastState()
    }

    /// What every rank must have in common to compute the same steps.
    func fingerprints() -> [RankFingerprint] {
        let named = model.namedParameters
        let options = [configuration.name, "\(configuration.clipNorm.map { "\($0)" } ?? "none")", "\(configuration.restoresBestEpoch)",
                       "\(String(describing: configuration.earlyStopping))", "validation \(validation != nil)",
                       "\(type(of: optimizer))", "\(configuration.learningRate.learningRate(at: 0))"]
        return [.count("parameter tensors", named.count), .count("parameters", model.parameterCount),
                .digest("parameter names, shapes and dtypes", of: named.map { "\($0.name) \($0.parameter.dtype) \($0.parameter.shape)" }
                    .joined(separator: "\n")),
                .digest("settings", of: configuration.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")),
                .count("epochs", configuration.epochs), .count("seed", configuration.seed),
                .digest("training options (name, clipping, model selection, early stopping, validation, optimizer, learning rate)",
                        of: options.joined(separator: "\n")),
                .count("batches per epoch", data.batchCount)]
    }

    /// Rank 0's training state on every rank: the checkpoint it would write, sent as bytes.
    func broadcastState() throws {
        guard let communicator, communicator.size > 1 else { return }
        let name = configuration.name
        let bytes = try communicator.collectively(name) {
            communicator.rank == 0 ? try TrainingFiles.checkpoint(model: model, optimizer: optimizer, position: position, history: history,
                                                                  settings: configuration.settings).encoded() : []
        }
        let received = try communicator.broadcast(bytes: bytes, root: 0)
        try communicator.collectively(name) {
            guard communicator.rank != 0 else { return }
            let state = try TrainingFiles.restore(try Checkpoint(bytes: received, path: "(rank 0's state)"), path: "(rank 0's state)",
                                                  into: model, optimizer: optimizer, settings: configuration.settings)
            (position, history) = (state.position, state.history)
            selection = BestEpochSelection()   // scores only: rank 0 alone writes and restores the best weights
            for record in history { if let score = record.validation { selection.record(epoch: record.epoch - 1, validation: score) } }
        }
    }

    /// One data-parallel step: this rank's shard of `batch`, then the sums over ranks. Returns the global mean
    /// loss Σ_r b_r·L_r / B, the gradient Σ_r (b_r/B)·g_r and B; nil when some rank's `shouldStop` asked to stop.
    func dataParallelStep(_ batch: Batch, parameters: [Parameter],
                          communicator: any GradientCommunicator) throws -> (loss: Double, gradients: Gradients, count: Int)? {
        let count = data.exampleCount(batch)
        let shard = DataParallel.shard(of: count, rank: communicator.rank, size: communicator.size)
        let step = TrainingStep(epoch: position.epoch, batch: position.batch,
                                seed: Trainer.stepSeed(configuration.seed, epoch: position.epoch, batch: position.batch,
                                                       firstExample: shard.lowerBound), examples: shard)
        var (localLoss, local) = (0.0, Gradients())   // an empty shard (B < ranks) contributes nothing
        if !shard.isEmpty {
            let part = shard.count == count ? batch : data.slice(batch, shard)
            let (value, gradients) = valueAndGradient(of: parameters) { loss(part, step) }
            (localLoss, local) = (value.item, gradients)
        }
        var sums = [localLoss * Double(shard.count), Double(count), Double(count) * Double(count), shouldStop() ? 1 : 0]
        try sums.withUnsafeMutableBufferPointer { try communicator.allReduce($0, .sum) }
        // All B equal ⇔ N·ΣB² = (ΣB)² (exact for integers below 2²⁶), decided alike on every rank.
        guard Double(communicator.size) * sums[2] == sums[1] * sums[1] else {
            throw DataParallelError.ranksDisagree(name: configuration.name, differences: [
                "the examples in batch \(position.batch + 1) of epoch \(position.epoch + 1) (\(count) here, "
                    + String(format: "%.4g", sums[1] / Double(communicator.size)) + " on average over \(communicator.size) ranks)"])
        }
        guard sums[3] == 0 else { return nil }
        let summed = try DataParallel.sumGradients(local, weightedBy: Double(shard.count) / Double(count), parameters: parameters,
                                                   communicator: communicator, bucketElements: bucketElements)
        return (sums[0] / Double(count), summed, count)
    }

    /// Rank 0's evaluation on every rank (its JSON, broadcast); `evaluation` itself without a communicator.
    func shareEvaluation(_ evaluation: Evaluation?) throws -> Evaluation? {
        guard let communicator, communicator.size > 1 else { return evaluation }
        let name = configuration.name
        let bytes = try communicator.collectively(name) { try evaluation.map { Array(try TrainingFiles.encoder.encode($0)) } ?? [] }
        let received = try communicator.broadcast(bytes: bytes, root: 0)
        return try communicator.collectively(name) { try TrainingFiles.decoder.decode(Evaluation.self, from: Data(received)) }
    }

    /// After each epoch: the ranks' parameters are bit for bit the same (a digest of their bytes agrees),
    /// so a difference in the MPI library's sums or in the data shows up as an error, not as a silent drift.
    func requireSameWeights() throws {
        guard let communicator, communicator.size > 1 else { return }
        let parameters = model.namedParameters.map { (name: $0.name, tensor: $0.parameter.value) }
        let digest = try UInt64(SafeTensors.checksum(parameters), radix: 16) ?? 0
        try communicator.requireAgreement([RankFingerprint(name: "the weights after epoch \(position.epoch)", value: digest, isCount: false)],
                                          name: configuration.name)
    }
}
