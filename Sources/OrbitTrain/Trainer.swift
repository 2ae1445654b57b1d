import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitNN
import OrbitOptimizers

/// One epoch's figures.
struct EpochResult: Codable, Equatable {
    var epoch: Int
    var trainingLoss: Double
    var testLoss: Double
    var testAccuracy: Double
    var seconds: Double
}

/// Where training continues: the next batch of an epoch, and the loss accumulated so far in that epoch.
struct Position: Codable, Equatable {
    var epoch = 0
    var batch = 0
    var lossSum = 0.0
    var lossCount = 0
}

/// Trains `MNISTClassifier` with Adam and an exponentially decaying learning rate.
///
/// Everything random is a function of the seed and the position: initialization of the seed, the batch
/// order of (seed, epoch), the dropout masks of (seed, epoch, batch), the learning rate of the epoch. So
/// a run stopped at any step boundary and resumed from its checkpoint computes exactly the same steps.
final class Trainer {
    let options: TrainingOptions
    let model: MNISTClassifier
    let optimizer: Adam
    let loader: DataLoader<Slice<MNIST>, Batch>
    let testSet: Slice<MNIST>
    private(set) var position = Position()
    private(set) var results: [EpochResult] = []
    /// Set to stop at the next step boundary (Ctrl-C, or a test simulating one).
    var shouldStop: () -> Bool = { false }
    var showProgress = false
    private let metrics: MetricsLog?

    init(options: TrainingOptions, resume: Bool, writeMetrics: Bool = true) throws {
        self.options = options
        model = MNISTClassifier(seed: options.seed)
        optimizer = Adam(learningRate: options.learningRate)
        let directory = options.dataDirectory.isEmpty ? try MNIST.defaultDirectory : URL(fileURLWithPath: options.dataDirectory)
        let training = try MNIST(split: .training, directory: directory)
        let test = try MNIST(split: .test, directory: directory)
        let trainingSubset = training[0..<(options.trainingExamples == 0 ? training.count : min(options.trainingExamples, training.count))]
        testSet = test[0..<(options.testExamples == 0 ? test.count : min(options.testExamples, test.count))]
        loader = DataLoader(trainingSubset, batchSize: options.batchSize, shuffling: RandomGenerator(seed: options.seed), prefetchCount: 2)
        try FileManager.default.createDirectory(atPath: options.outputDirectory, withIntermediateDirectories: true)
        metrics = writeMetrics ? try MetricsLog(appendingTo: options.metricsURL) : nil
        if resume { try restore() }
    }

    /// Trains until `options.epochs` epochs are done or a stop is requested. Returns whether it finished.
    @discardableResult
    func run() throws -> Bool {
        while position.epoch < options.epochs {
            let started = Date()
            guard try trainEpoch() else { return false }
            let (testLoss, accuracy) = evaluate()
            let result = EpochResult(epoch: position.epoch + 1, trainingLoss: position.lossSum / Double(max(1, position.lossCount)),
                                     testLoss: testLoss, testAccuracy: accuracy, seconds: Date().timeIntervalSince(started))
            results.append(result)
            position = Position(epoch: position.epoch + 1)
            try saveCheckpoint()
            try metrics?.write(["epoch": .integer(result.epoch), "training_loss": .number(result.trainingLoss),
                                "test_loss": .number(testLoss), "test_accuracy": .number(accuracy),
                                "seconds": .number(result.seconds), "learning_rate": .number(optimizer.learningRate)])
            if showProgress {
                Console.line(String(format: "epoch %d: training loss %.4f, test loss %.4f, test accuracy %.2f%% (%.1f s)",
                             result.epoch, result.trainingLoss, testLoss, 100 * accuracy, result.seconds))
            }
        }
        return true
    }

    /// Runs the remaining batches of the current epoch; returns false when stopped early (after saving).
    private func trainEpoch() throws -> Bool {
        optimizer.learningRate = ExponentialDecay(initial: options.learningRate, factor: options.learningRateDecay)
            .learningRate(at: position.epoch)
        let progress = showProgress ? ProgressBar(label: "epoch \(position.epoch + 1)/\(options.epochs)", total: loader.batchCount) : nil
        var examples = 0
        for batch in loader.batches(epoch: position.epoch, startingAt: position.batch) {
            if shouldStop() {
                try saveCheckpoint()
                return false
            }
            let seed = stepSeed(epoch: position.epoch, batch: position.batch)
            model.reseedDropout(seed)
            let images = options.augmentShift > 0 ? shifted(batch.inputs, seed: seed) : batch.inputs
            let parameters = model.parameters
            let (loss, gradients) = valueAndGradient(of: parameters) {
                crossEntropy(model(images), labels: batch.labels)
            }
            optimizer.update(parameters, with: gradients)
            position.batch += 1
            position.lossSum += loss.item * Double(batch.count)
            position.lossCount += batch.count
            examples += batch.count
            progress?.update(completed: position.batch, examples: examples,
                             fields: [("loss", String(format: "%.4f", position.lossSum / Double(position.lossCount)))])
        }
        return true
    }

    /// Mean cross-entropy and accuracy on the test images, in evaluation mode.
    func evaluate() -> (loss: Double, accuracy: Double) {
        model.eval()
        defer { model.train() }
        var lossSum = 0.0, correct = 0
        for batch in DataLoader(testSet, batchSize: 1000).batches(epoch: 0) {
            let logits = model(batch.inputs)
            lossSum += crossEntropy(logits, labels: batch.labels, reduction: .sum).item
            correct += Int((logits.argmax(axis: 1) .== batch.labels).converted(to: .float64).sum().item)
        }
        return (lossSum / Double(testSet.count), Double(correct) / Double(testSet.count))
    }

    /// Each image moved by a random (dy, dx) in [-augmentShift, augmentShift]², wrapping around (MNIST
    /// digits have a 4-pixel empty margin, so nothing of the digit wraps for shifts up to 4).
    private func shifted(_ images: Tensor, seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed ^ 0x5348_4946_5453_4545)
        let range = UInt64(2 * options.augmentShift + 1)
        let moved = (0..<images.shape[0]).map { index in
            let shift = [Int(generator.next() % range) - options.augmentShift, Int(generator.next() % range) - options.augmentShift]
            return images.slice(axis: 0, index..<(index + 1)).rolled(shifts: shift, axes: [2, 3])
        }
        return concatenate(moved, axis: 0)
    }

    private func stepSeed(epoch: Int, batch: Int) -> UInt64 {
        var generator = RandomGenerator(seed: options.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1) &+ UInt64(batch))
        return generator.next()
    }

    // MARK: Checkpoints

    func saveCheckpoint() throws {
        let encoder = JSONEncoder()
        let metadata = [
            "options": options.encoded(),
            "position": String(decoding: try encoder.encode(position), as: UTF8.self),
            "results": String(decoding: try encoder.encode(results), as: UTF8.self),
        ]
        try Checkpoint(model: model, optimizerState: optimizer.stateTensors(for: model.namedParameters), metadata: metadata)
            .write(to: options.checkpointURL)
    }

    private func restore() throws {
        let checkpoint = try Checkpoint(contentsOf: options.checkpointURL)
        let decoder = JSONDecoder()
        guard let savedOptions = checkpoint.metadata["options"].flatMap({ try? TrainingOptions.decoded($0) }),
              let position = checkpoint.metadata["position"].flatMap({ try? decoder.decode(Position.self, from: Data($0.utf8)) }),
              let results = checkpoint.metadata["results"].flatMap({ try? decoder.decode([EpochResult].self, from: Data($0.utf8)) })
        else { throw TrainingError.incompatibleCheckpoint(options.checkpointURL.path, reason: "metadata is missing or unreadable") }
        var comparable = savedOptions
        comparable.epochs = options.epochs
        guard comparable == options else {
            throw TrainingError.incompatibleCheckpoint(options.checkpointURL.path,
                                                       reason: "it was made with other settings: \(savedOptions.encoded())")
        }
        try checkpoint.restore(model)
        optimizer.loadStateTensors(checkpoint.optimizerState, for: model.namedParameters)
        self.position = position
        self.results = results
    }
}

enum TrainingError: Error, CustomStringConvertible {
    case incompatibleCheckpoint(String, reason: String)

    var description: String {
        switch self {
        case .incompatibleCheckpoint(let path, let reason): "cannot resume from \(path): \(reason)"
        }
    }
}
