import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitModels
import OrbitNN
import OrbitOptimizers
import OrbitTraining

// A script of the kind Docs/Training.md walks through: a C4 group CNN on MNIST, trained, validated,
// checkpointed and resumable with the training library. `swift run -c release GroupCNNExample [--resume]`.

/// Lifting convolution to C4, a group convolution, each followed by 2 x 2 max pooling, then pooling over the
/// rotations and a linear head: [N, 1, 28, 28] -> [8·4, 14, 14] -> [16·4, 7, 7] -> [16, 7, 7] -> [N, 10].
/// Everything before the head is equivariant to quarter turns of the input.
final class C4Network: Layer {
    let lift: LiftingConvolution<CyclicGroup>
    let group: GroupConvolution<CyclicGroup>
    let pool: GroupPooling<CyclicGroup>
    let head: Linear

    init(seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        let c4 = CyclicGroup(order: 4)
        lift = LiftingConvolution(group: c4, inputChannels: 1, outputFields: 8, kernelSize: 3, padding: 1, using: &generator)
        group = GroupConvolution(group: c4, inputFields: 8, outputFields: 16, kernelSize: 3, padding: 1, using: &generator)
        pool = GroupPooling(group: c4, fields: 16)
        head = Linear(inputFeatures: 16 * 7 * 7, outputFeatures: 10, using: &generator)
    }

    func callAsFunction(_ images: Tensor) -> Tensor {
        let lifted = maxPool2d(relu(lift(images)), kernelSize: 2)
        let fields = maxPool2d(relu(group(lifted)), kernelSize: 2)
        return head(pool(fields).flattened(from: 1))
    }
}

let arguments = Arguments.parseOrExit(command: "group-cnn-example", summary: "Trains a C4 group CNN on 6,000 MNIST digits.",
                                      options: [Option("epochs", default: "3", help: "passes over the training images"),
                                                Option("output", default: "runs/group-cnn", help: "checkpoints and metrics"),
                                                Option(flag: "resume", help: "continue the last run")])
let interruption = Interruption.handlingControlC()
do {
    let mnist = try MNIST(split: .training, directory: MNIST.defaultDirectory)
    let (training, validation) = (mnist[0..<6_000], mnist[6_000..<7_000])
    let model = C4Network(seed: 0)
    var configuration = TrainingConfiguration(epochs: try arguments.value("epochs"))
    configuration.learningRate = ExponentialDecay(initial: 3e-3, factor: 0.8)
    configuration.directory = URL(fileURLWithPath: try arguments.value("output"))
    configuration.restoresBestEpoch = true
    let trainer = try Trainer(
        model: model, optimizer: Adam(), data: TrainingBatches(DataLoader(training, batchSize: 32, shuffling: RandomGenerator(seed: 0))),
        configuration: configuration,
        validation: { model in
            let (loss, accuracy) = Evaluate.classification({ model($0) }, on: DataLoader(validation, batchSize: 500).batches(epoch: 0))
            return Evaluation(score: loss, metrics: ["validation_accuracy": accuracy])
        }) { batch, _ in crossEntropy(model(batch.inputs), labels: batch.labels) }
    if arguments.flag("resume") { try trainer.resume() }
    trainer.shouldStop = { interruption.isRequested }
    guard try trainer.run() else {
        Console.line("stopped; continue with --resume")
        exit(130)
    }
    let best = trainer.history[trainer.selection.bestEpoch!]
    Console.line(String(format: "best epoch %d: validation accuracy %.2f%%", best.epoch, 100 * best.metrics["validation_accuracy"]!))
} catch {
    FileHandle.standardError.write(Data("group-cnn-example: \(error)\n".utf8))
    exit(1)
}
