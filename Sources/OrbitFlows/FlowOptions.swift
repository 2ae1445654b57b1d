import Foundation
import OrbitCommandLine

/// The settings of `orbit-flows`: the data, the two models, and training. Defaults are the reduced
/// configuration that `make run` trains in about ten minutes on 2 cores; `--paper` selects the paper's
/// Translating MNIST setting (Docs/References.md §F2, §F8: 2 digits, data velocities {-2..2}², hidden 128, 4 decoder
/// layers, 10 + 10 frames, batch 128, Adam 1e-3, clipping 1.0, 50 epochs, the best validation epoch kept).
/// The reduced defaults keep the paper's protocol (10 + 10 frames, validation on sequences of held-out
/// training digits, the best epoch kept) at a small size: 1 digit, velocities {-1..1}², FERNN-V1, hidden 16,
/// 1 decoder layer, batch 8, 2 × 2,000 sequences.
struct FlowOptions: Codable, Equatable {
    var digits = 1
    /// Digits move with velocities drawn from {-R..R}², R = dataVelocityRange.
    var dataVelocityRange = 1
    /// The FERNN's velocity set V = {-k..k}², k = modelVelocityRange (1: FERNN-V1, 2: FERNN-V2).
    var modelVelocityRange = 1
    var hiddenChannels = 16
    var decoderLayers = 1
    var inputFrames = 10
    var predictedFrames = 10
    /// Length generalisation: the models predict this many times the training length.
    var lengthFactor = 3
    var trainingSequences = 2_000
    var testSequences = 200
    /// Validation sequences (fixed), from the last tenth of the MNIST training digits, which training never
    /// sees (a 54,000 / 6,000 split, about the reference's 422 steps of 128 per epoch); they select the best epoch.
    var validationSequences = 200
    var epochs = 2
    var batchSize = 8
    var learningRate = 1e-3
    /// The learning rate of epoch e is learningRate · decay^e (1: constant, as the paper).
    var learningRateDecay = 1.0
    /// Stop when the validation MSE has not improved for this many epochs (0: never).
    var patience = 0
    var clipNorm = 1.0
    var seed: UInt64 = 1
    var dataDirectory = ""
    var outputDirectory = "runs/flows"

    static let summary = """
        Trains a G-RNN and a FERNN on Translating MNIST (digits moving on a 28x28 torus) to predict the next
        frames, then prints the test MSE of both, the length-generalisation curve (predicting \
        --length-factor times the training length), and writes PNGs of ground truth vs predictions.
        Each model checkpoints after every epoch and on Ctrl-C (--resume continues exactly).
        Defaults are a reduced configuration that runs in minutes; --paper is the paper's configuration.
        --experiment translating|bouncing|rotating runs one of the paper's experiments instead, with the same
        data and training options: every --models entry for every --seeds value, then a table (mean ± std),
        the MSE per future step and, for translating, the velocity-generalisation grid and heat maps.
        """

    static let options: [Option] = [
        Option("digits", default: "1", help: "digits per sequence (the paper: 2)"),
        Option("data-velocities", default: "1", help: "R: digits move with velocities in {-R..R}^2 pixels per frame"),
        Option("model-velocities", default: "1", help: "k: the FERNN's velocity set {-k..k}^2 (1: FERNN-V1, 2: FERNN-V2)"),
        Option("hidden", default: "16", help: "hidden channels of both models"),
        Option("decoder-layers", default: "1", help: "hidden 3x3 layers of the decoder"),
        Option("input-frames", default: "10", help: "frames the models read"),
        Option("predicted-frames", default: "10", help: "frames they learn to predict"),
        Option("length-factor", default: "3", help: "length generalisation: predict this many times --predicted-frames"),
        Option("training-sequences", default: "2000", help: "training sequences per epoch (redrawn every epoch)"),
        Option("test-sequences", default: "200", help: "test sequences (fixed, from MNIST test digits)"),
        Option("validation-sequences", default: "200", help: "validation sequences (fixed, from held-out training digits); select the best epoch"),
        Option("epochs", default: "2", help: "training epochs per model"),
        Option("batch-size", default: "8", help: "sequences per step"),
        Option("learning-rate", default: "0.001", help: "Adam learning rate"),
        Option("learning-rate-decay", default: "1", help: "learning-rate multiplier per epoch, in (0, 1] (1: constant)"),
        Option("patience", default: "0", help: "stop when validation has not improved for N epochs (0: train every epoch)"),
        Option("seed", default: "1", help: "seeds data, initialization and batch order"),
        Option("data", default: "", help: "MNIST directory (default: the copy inside the repository)"),
        Option("output", default: "runs/flows", help: "directory for checkpoints, metrics, results and pictures"),
        Option("threads", default: "0", help: "kernel threads (0: all cores)"),
        Option(flag: "paper", help: "the paper's configuration (2 digits, R = 2, FERNN-V2, hidden 128, batch 128, 50 epochs); explicit options still win"),
        Option(flag: "resume", help: "continue from the checkpoints in --output"),
    ]

    init() {}

    /// The options of `arguments`, each checked on its own: a bad value throws an `ArgumentError` naming
    /// that option and its accepted range (a usage error, exit status 2).
    init(_ arguments: Arguments) throws {
        if arguments.flag("paper") {
            (digits, dataVelocityRange, modelVelocityRange, hiddenChannels, decoderLayers) = (2, 2, 2, 128, 4)
            (inputFrames, predictedFrames) = (10, 10)
            (trainingSequences, testSequences, validationSequences, epochs, batchSize) = (54_000, 10_000, 6_000, 50, 128)
        }
        /// The option's value when given (or without --paper), else the --paper setting; checked either way.
        func value(_ name: String, _ current: Int, in range: PartialRangeFrom<Int>) throws -> Int {
            arguments.isGiven(name) || !arguments.flag("paper") ? try arguments.value(name, in: range) : current
        }
        digits = try value("digits", digits, in: 1...)
        dataVelocityRange = try value("data-velocities", dataVelocityRange, in: 0...)
        modelVelocityRange = try value("model-velocities", modelVelocityRange, in: 0...)
        hiddenChannels = try value("hidden", hiddenChannels, in: 1...)
        decoderLayers = try value("decoder-layers", decoderLayers, in: 0...)
        inputFrames = try value("input-frames", inputFrames, in: 1...)
        predictedFrames = try value("predicted-frames", predictedFrames, in: 1...)
        lengthFactor = try value("length-factor", lengthFactor, in: 1...)
        trainingSequences = try value("training-sequences", trainingSequences, in: 1...)
        testSequences = try value("test-sequences", testSequences, in: 1...)
        validationSequences = try value("validation-sequences", validationSequences, in: 1...)
        epochs = try value("epochs", epochs, in: 1...)
        batchSize = try value("batch-size", batchSize, in: 1...)
        learningRate = try arguments.value("learning-rate", above: 0)
        learningRateDecay = try arguments.value("learning-rate-decay", in: Double.ulpOfOne...1.0)
        patience = try arguments.value("patience", in: 0...)
        seed = try arguments.value("seed")
        dataDirectory = try arguments.value("data")
        outputDirectory = try arguments.value("output")
    }

    var outputURL: URL { URL(fileURLWithPath: outputDirectory) }

    /// Where `--resume` of the main job looks for checkpoints: `<output>/<model>/checkpoint.safetensors`
    /// for the two models `FlowExperiment` trains, "grnn" and "fernn-v<k>".
    var checkpoints: [URL] {
        ["grnn", "fernn-v\(modelVelocityRange)"].map { outputURL.appendingPathComponent("\($0)/checkpoint.safetensors") }
    }

    func encoded() -> String { String(decoding: try! JSONEncoder().encode(self), as: UTF8.self) }

    static func decoded(_ text: String) throws -> FlowOptions {
        try JSONDecoder().decode(FlowOptions.self, from: Data(text.utf8))
    }
}
