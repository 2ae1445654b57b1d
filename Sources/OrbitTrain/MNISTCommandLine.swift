import Foundation
import OrbitCommandLine
import OrbitExperiments

// The command line of orbit-train: the options of `MNISTSettings` (the library's plain settings) and their
// parsing. What they configure lives in OrbitExperiments (`MNISTRun`).

extension MNISTSettings {
    static let summary = """
        Trains the classic two-convolution network on MNIST (shipped in Sources/OrbitDatasets/Data/MNIST).
        Prints a progress bar and the test accuracy after each epoch, appends metrics to
        <output>/metrics.jsonl, and saves <output>/checkpoint.safetensors after every epoch and on
        Ctrl-C; --resume continues from it exactly (same batches, same dropout masks, same losses).
        Defaults (`make mnist`) take a few minutes on 2 cores; --full trains 15 epochs with shift
        augmentation and a slower decay (99.30% measured, ~35 min).
        """

    static let options: [Option] = [
        Option("epochs", default: "2", help: "passes over the training set"),
        Option("batch-size", default: "64", help: "examples per step"),
        Option("learning-rate", default: "0.001", help: "Adam's initial step size"),
        Option("learning-rate-decay", default: "0.7", help: "learning rate multiplier per epoch"),
        Option("seed", default: "1", help: "seed for initialization, data order and dropout"),
        Option("training-examples", default: "0", help: "use only the first N training images (0: all)"),
        Option("test-examples", default: "0", help: "evaluate on only the first N test images (0: all)"),
        Option("data", default: "", help: "directory with the MNIST IDX files, .gz or uncompressed (default: the copy in the repository)"),
        Option("output", default: "runs/mnist", help: "directory for the checkpoint and metrics"),
        Option("threads", default: "0", help: "kernel threads (0: all cores)"),
        Option("benchmark", default: "0", help: "time N training steps and 5 evaluations, print JSON lines, and exit (no training)"),
        Option("augment-shift", default: "0", help: "shift each training image by up to N pixels (seeded)"),
        Option(flag: "full", help: "the full recipe: 15 epochs, decay 0.8, 2-pixel shift augmentation (explicit options still win)"),
        Option(flag: "resume", help: "continue from <output>/checkpoint.safetensors"),
    ]

    /// The options of `arguments`, each checked on its own: a bad value throws an `ArgumentError` naming
    /// that option and its accepted range (a usage error, exit status 2).
    init(_ arguments: Arguments) throws {
        self.init()
        let full = arguments.flag("full")
        epochs = try arguments.value("epochs", in: 1...)
        if full && !arguments.isGiven("epochs") { epochs = 15 }
        augmentShift = try arguments.value("augment-shift", in: 0...)
        if full && !arguments.isGiven("augment-shift") { augmentShift = 2 }
        batchSize = try arguments.value("batch-size", in: 1...)
        learningRate = try arguments.value("learning-rate", above: 0)
        learningRateDecay = try arguments.value("learning-rate-decay", above: 0)
        if full && !arguments.isGiven("learning-rate-decay") { learningRateDecay = 0.8 }
        seed = try arguments.value("seed")
        trainingExamples = try arguments.value("training-examples", in: 0...)
        testExamples = try arguments.value("test-examples", in: 0...)
        dataDirectory = try arguments.value("data")
        outputDirectory = try arguments.value("output")
    }
}
