import Foundation
import Orbit
import OrbitDatasets
import OrbitModels
import OrbitNN
import OrbitOptimizers
import OrbitTraining

/// `orbit-train`'s run: `MNISTClassifier` on MNIST with Adam and an exponentially decaying learning rate,
/// trained by the library's `Trainer`, scored on the test images after every epoch.
///
/// Everything random is a function of the seed and the position: initialization of the seed, the batch
/// order of (seed, epoch), the dropout masks and shifts of (seed, epoch, batch), the learning rate of the
/// epoch; so a run stopped at any step boundary and resumed computes exactly the same steps.
public final class MNISTRun {
    public let settings: MNISTSettings
    public let model: MNISTClassifier
    public let loader: DataLoader<Slice<MNIST>, Batch>
    public let testSet: Slice<MNIST>
    public let trainer: Trainer<MNISTClassifier, Batch>

    /// Without `writesFiles` nothing goes to disk (the benchmark).
    public init(settings options: MNISTSettings, writesFiles: Bool = true) throws {
        self.settings = options
        let model = MNISTClassifier(seed: options.seed)
        self.model = model
        let directory = options.dataDirectory.isEmpty ? try MNIST.defaultDirectory : URL(fileURLWithPath: options.dataDirectory)
        let training = try MNIST(split: .training, directory: directory)
        let test = try MNIST(split: .test, directory: directory)
        let testSet = test[0..<(options.testExamples == 0 ? test.count : min(options.testExamples, test.count))]
        self.testSet = testSet
        loader = DataLoader(training[0..<(options.trainingExamples == 0 ? training.count : min(options.trainingExamples, training.count))],
                            batchSize: options.batchSize, shuffling: RandomGenerator(seed: options.seed), prefetchCount: 2)
        var configuration = TrainingConfiguration(epochs: options.epochs)
        (configuration.name, configuration.seed) = ("mnist", options.seed)
        configuration.learningRate = ExponentialDecay(initial: options.learningRate, factor: options.learningRateDecay)
        configuration.directory = writesFiles ? URL(fileURLWithPath: options.outputDirectory) : nil
        configuration.settings = trainingSettings(of: options, excluding: ["epochs", "dataDirectory", "outputDirectory"])
        configuration.scoreName = "test_loss"
        let shift = options.augmentShift
        trainer = try Trainer(model: model, optimizer: Adam(learningRate: options.learningRate), data: TrainingBatches(loader),
                              configuration: configuration, validation: { model in
            let (loss, accuracy) = Evaluate.classification({ model($0) }, on: DataLoader(testSet, batchSize: 1000).batches(epoch: 0))
            return Evaluation(score: loss, metrics: ["test_accuracy": accuracy])
        }) { batch, step in
            model.reseedDropout(step.seed)
            let images = shift > 0 ? MNISTRun.shifted(batch.inputs, by: shift, seed: step.seed) : batch.inputs
            return crossEntropy(model(images), labels: batch.labels)
        }
    }

    /// Each image moved by a random (dy, dx) in [-shift, shift]², wrapping around (MNIST digits have a
    /// 4-pixel empty margin, so nothing of the digit wraps for shifts up to 4).
    public static func shifted(_ images: Tensor, by shift: Int, seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed ^ 0x5348_4946_5453_4545)
        let range = UInt64(2 * shift + 1)
        let moved = (0..<images.shape[0]).map { index in
            let offsets = [Int(generator.next() % range) - shift, Int(generator.next() % range) - shift]
            return images.slice(axis: 0, index..<(index + 1)).rolled(shifts: offsets, axes: [2, 3])
        }
        return concatenate(moved, axis: 0)
    }
}
