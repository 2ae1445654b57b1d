import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitNN
import OrbitOptimizers

/// Where training of one model continues: the next batch of an epoch and the loss summed so far in it.
struct SequencePosition: Codable, Equatable {
    var epoch = 0
    var batch = 0
    var lossSum = 0.0
    var lossCount = 0
}

/// Trains one next-step predictor (a G-RNN or a FERNN, any lifted cell) on moving-digit sequences: MSE
/// over the predicted frames, Adam, gradient clipping by global norm (REFERENCE 1.2). Batches are a
/// function of (seed, epoch, batch), so a run stopped at a step boundary and resumed from its checkpoint
/// repeats the same steps. Files go to `options.outputURL/name/` (checkpoint, metrics.jsonl).
final class SequenceTrainer<Cell: LiftedRecurrentCell> {
    let name: String
    let options: FlowOptions
    let model: FlowPredictor<Cell>
    let optimizer: Adam
    let training: SequenceSource
    private(set) var position = SequencePosition()
    private(set) var epochLosses: [Double] = []
    var shouldStop: () -> Bool = { false }
    private let metrics: MetricsLog

    /// `makeCell` builds the cell from the generator seeded with `options.seed`; the decoder is drawn after it.
    init(name: String, options: FlowOptions, training: SequenceSource, resume: Bool,
         makeCell: (inout RandomGenerator) -> Cell) throws {
        (self.name, self.options, self.training) = (name, options, training)
        var generator = RandomGenerator(seed: options.seed)
        let cell = makeCell(&generator)
        model = FlowPredictor(cell: cell, decoderLayers: options.decoderLayers, using: &generator)
        optimizer = Adam(learningRate: options.learningRate)
        let directory = options.outputURL.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        metrics = try MetricsLog(appendingTo: directory.appendingPathComponent("metrics.jsonl"))
        if resume, FileManager.default.fileExists(atPath: checkpointURL.path) { try restore() }
    }

    var directory: URL { options.outputURL.appendingPathComponent(name) }
    var checkpointURL: URL { directory.appendingPathComponent("checkpoint.safetensors") }
    var isFinished: Bool { position.epoch >= options.epochs }

    /// Trains the remaining epochs; returns false when stopped early (after saving a checkpoint).
    func run(test: (FlowPredictor<Cell>) -> Double) throws -> Bool {
        while !isFinished {
            let started = Date()
            let progress = ProgressBar(label: "\(name) epoch \(position.epoch + 1)/\(options.epochs)",
                                       total: training.batchCount(size: options.batchSize))
            var examples = 0
            for batch in training.batches(size: options.batchSize, shuffling: RandomGenerator(seed: options.seed),
                                          epoch: position.epoch, startingAt: position.batch) {
                if shouldStop() {
                    try saveCheckpoint()
                    return false
                }
                let inputs = batch.slice(axis: 1, 0..<options.inputFrames)
                let targets = batch.slice(axis: 1, options.inputFrames..<(options.inputFrames + options.predictedFrames))
                let parameters = model.parameters
                let (loss, gradients) = valueAndGradient(of: parameters) {
                    meanSquaredError(model(inputs, predicting: options.predictedFrames), targets)
                }
                optimizer.update(parameters, with: clipByGlobalNorm(gradients, maximumNorm: options.clipNorm).gradients)
                position.batch += 1
                position.lossSum += loss.item * Double(batch.shape[0])
                position.lossCount += batch.shape[0]
                examples += batch.shape[0]
                progress.update(completed: position.batch, examples: examples,
                                fields: [("mse", String(format: "%.5f", position.lossSum / Double(position.lossCount)))])
            }
            let trainingLoss = position.lossSum / Double(max(1, position.lossCount))
            let testLoss = test(model)
            epochLosses.append(trainingLoss)
            position = SequencePosition(epoch: position.epoch + 1)
            try saveCheckpoint()
            let seconds = Date().timeIntervalSince(started)
            try metrics.write(["epoch": .integer(position.epoch), "training_mse": .number(trainingLoss),
                               "test_mse": .number(testLoss), "seconds": .number(seconds)])
            Console.line(String(format: "%@ epoch %d: training MSE %.5f, test MSE %.5f (%.0f s)",
                                name, position.epoch, trainingLoss, testLoss, seconds))
        }
        return true
    }

    func saveCheckpoint() throws {
        let metadata = [
            "options": options.encoded(),
            "position": String(decoding: try JSONEncoder().encode(position), as: UTF8.self),
            "epoch_losses": String(decoding: try JSONEncoder().encode(epochLosses), as: UTF8.self),
        ]
        try Checkpoint(model: model, optimizerState: optimizer.stateTensors(for: model.namedParameters), metadata: metadata)
            .write(to: checkpointURL)
    }

    private func restore() throws {
        let checkpoint = try Checkpoint(contentsOf: checkpointURL)
        let decoder = JSONDecoder()
        guard let saved = checkpoint.metadata["options"].flatMap({ try? FlowOptions.decoded($0) }),
              let position = checkpoint.metadata["position"].flatMap({ try? decoder.decode(SequencePosition.self, from: Data($0.utf8)) }),
              let losses = checkpoint.metadata["epoch_losses"].flatMap({ try? decoder.decode([Double].self, from: Data($0.utf8)) })
        else { throw FlowError.incompatibleCheckpoint(checkpointURL.path, reason: "metadata is missing or unreadable") }
        var comparable = saved
        comparable.epochs = options.epochs
        guard comparable == options else {
            throw FlowError.incompatibleCheckpoint(checkpointURL.path, reason: "it was made with other settings: \(saved.encoded())")
        }
        try checkpoint.restore(model)
        optimizer.loadStateTensors(checkpoint.optimizerState, for: model.namedParameters)
        (self.position, self.epochLosses) = (position, losses)
    }
}

enum FlowError: Error, CustomStringConvertible {
    case incompatibleCheckpoint(String, reason: String)

    var description: String {
        switch self {
        case .incompatibleCheckpoint(let path, let reason): "cannot resume from \(path): \(reason)"
        }
    }
}
