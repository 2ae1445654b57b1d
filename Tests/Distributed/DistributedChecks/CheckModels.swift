import Foundation
import Orbit
import OrbitDatasets
import OrbitModels
import OrbitNN
import OrbitOptimizers
import OrbitTraining

// The models the MPI checks train, each in a `Trainer` with a global batch of `batchSize` (the last batch of an
// epoch partial), SGD with momentum (its update, unlike Adam's, changes when all gradients are scaled by a
// constant, so a wrong b_r/B shows) or Adam, and gradient clipping on in some steps.

/// A trainer with its model type erased: what the checks do with it.
struct CheckJob {
    let run: () throws -> Bool
    let resume: () throws -> Void
    let setStop: (@escaping () -> Bool) -> Void
    let position: () -> TrainingPosition
    let losses: () -> [Double]
    let weights: () -> [(name: String, tensor: Tensor)]

    init<Model: Module, Batch>(_ trainer: Trainer<Model, Batch>) {
        run = { try trainer.run() }
        resume = { try trainer.resume() }
        setStop = { trainer.shouldStop = $0 }
        position = { trainer.position }
        losses = { trainer.history.map(\.trainingLoss) }
        weights = { trainer.model.namedParameters.map { ($0.name, $0.parameter.value) } }
    }
}

/// What to train: `fernn` (FlowPredictor over a FlowEquivariantRNNCell, |V| = 9, on 8 x 8 frames) or `cnn`
/// (float32: the MNIST CNN `MNISTClassifier`, dropout off; float64: `SmallCNN`) on MNIST digits.
struct CheckSettings {
    var model = "fernn"
    var dtype = DType.float64
    var optimizer = "sgd"
    var epochs = 2
    var hidden = 2
    var directory: URL?
    /// The initialization seed of rank r is `seed + r`: the weights must come from rank 0 by broadcast.
    var seed: UInt64 = 1
}

func makeJob(_ settings: CheckSettings, communicator: (any GradientCommunicator)?) throws -> CheckJob {
    var configuration = TrainingConfiguration(epochs: settings.epochs)
    configuration.name = "\(settings.model)-\(settings.dtype)"
    configuration.directory = settings.directory
    configuration.showsProgress = false
    configuration.learningRate = ExponentialDecay(initial: settings.optimizer == "sgd" ? 0.05 : 3e-3, factor: 0.8)
    configuration.settings = ["model": settings.model, "dtype": "\(settings.dtype)", "optimizer": settings.optimizer,
                              "hidden": "\(settings.hidden)"]
    let optimizer: any Optimizer = settings.optimizer == "sgd" ? SGD(learningRate: 0.05, momentum: 0.9) : Adam()
    let seed = settings.seed + UInt64(communicator?.rank ?? 0)
    switch (settings.model, settings.dtype) {
    case ("fernn", _):
        var generator = RandomGenerator(seed: seed)
        let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: settings.hidden, flows: .grid(range: 1), activation: .tanh,
                                          dtype: settings.dtype, using: &generator)
        let model = FlowPredictor(cell: cell, decoderLayers: 1, dtype: settings.dtype, using: &generator)
        configuration.clipNorm = 0.5
        let sequences = randomSequences(dtype: settings.dtype)
        return CheckJob(try Trainer(model: model, optimizer: optimizer, data: shuffledBatches(of: sequences, size: 8),
                                    configuration: configuration, communicator: communicator) { batch, _ in
            meanSquaredError(model(batch.slice(axis: 1, 0..<2), predicting: 2), batch.slice(axis: 1, 2..<4))
        })
    case ("cnn", .float32):
        let model = MNISTClassifier(seed: seed)
        model.eval()   // no dropout: its masks depend on the shard (Docs/Distributed.md)
        configuration.clipNorm = 2
        return CheckJob(try Trainer(model: model, optimizer: optimizer, data: try mnistBatches(), configuration: configuration,
                                    communicator: communicator) { batch, _ in crossEntropy(model(batch.inputs), labels: batch.labels) })
    case ("cnn", _):
        let model = SmallCNN(seed: seed)
        configuration.clipNorm = 2
        return CheckJob(try Trainer(model: model, optimizer: optimizer, data: try mnistBatches(), configuration: configuration,
                                    communicator: communicator) { batch, _ in
            crossEntropy(model(batch.inputs.converted(to: .float64)), labels: batch.labels)
        })
    default:
        throw CheckFailure("unknown model \(settings.model) (fernn or cnn)")
    }
}

/// 22 random sequences [22, 4, 1, 8, 8] (2 frames in, 2 to predict), the same on every rank.
func randomSequences(dtype: DType) -> Tensor {
    var generator = RandomGenerator(seed: 99)
    return Tensor.randomNormal([22, 4, 1, 8, 8], dtype: .float64, using: &generator).converted(to: dtype)
}

/// Batches of `size` rows of `data` in an order drawn from the epoch (22 rows: 8, 8, 6).
func shuffledBatches(of data: Tensor, size: Int) -> TrainingBatches<Tensor> {
    let count = data.shape[0]
    return TrainingBatches(batchCount: (count + size - 1) / size) { epoch, first in
        var generator = RandomGenerator(seed: 500 + UInt64(epoch))
        let order = (0..<count).shuffled(using: &generator)
        return stride(from: first * size, to: count, by: size).map { data.indexSelect(axis: 0, Array(order[$0..<min($0 + size, count)])) }
    }
}

/// The first 44 MNIST training digits in shuffled batches of 16 (16, 16, 12).
func mnistBatches() throws -> TrainingBatches<Batch> {
    let mnist = try MNIST(split: .training, directory: try MNIST.defaultDirectory)
    return TrainingBatches(DataLoader(mnist[0..<44], batchSize: 16, shuffling: RandomGenerator(seed: 7)))
}

/// A float64 CNN for MNIST: conv 3x3 (1->4) relu pool 2, conv 3x3 (4->8) relu pool 2, linear 392 -> 10.
final class SmallCNN: Layer {
    let conv1: Convolution2D, conv2: Convolution2D, head: Linear
    init(seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        conv1 = Convolution2D(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, dtype: .float64, using: &generator)
        conv2 = Convolution2D(inputChannels: 4, outputChannels: 8, kernelSize: 3, padding: 1, dtype: .float64, using: &generator)
        head = Linear(inputFeatures: 8 * 7 * 7, outputFeatures: 10, dtype: .float64, using: &generator)
    }
    func callAsFunction(_ images: Tensor) -> Tensor {   // [N, 1, 28, 28] -> [N, 10]
        let x = maxPool2d(relu(conv2(maxPool2d(relu(conv1(images)), kernelSize: 2))), kernelSize: 2)
        return head(x.flattened(from: 1))
    }
}

struct CheckFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// max_i |a_i - b_i| / max_i |b_i| over all tensors (names and shapes must match).
func relativeDifference(_ a: [(name: String, tensor: Tensor)], _ b: [(name: String, tensor: Tensor)]) throws -> Double {
    guard a.map(\.name) == b.map(\.name), a.map(\.tensor.shape) == b.map(\.tensor.shape) else {
        throw CheckFailure("the two models have different parameters")
    }
    let (x, y) = (a.flatMap(\.tensor.doubles), b.flatMap(\.tensor.doubles))
    let scale = y.map(abs).max() ?? 1
    return zip(x, y).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}
