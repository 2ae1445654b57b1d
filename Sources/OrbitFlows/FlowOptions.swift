import Foundation
import OrbitCommandLine

/// The settings of `orbit-flows`: the data, the two models, and training. Defaults are the reduced
/// configuration that `make run` trains in about ten minutes on 2 cores; `--paper` selects the paper's
/// Translating MNIST setting (Docs/References.md §F2, §F8: 2 digits, data velocities {-2..2}², hidden 128, 4 decoder
/// layers, 10 + 10 frames, batch 128, Adam 1e-3, clipping 1.0, 50 epochs). The reduced defaults: 1 digit,
/// velocities {-1..1}², FERNN-V1, hidden 16, 1 decoder layer, 5 + 5 frames, batch 8, 2 × 2,000 sequences.
struct FlowOptions: Codable, Equatable {
    var digits = 1
    /// Digits move with velocities drawn from {-R..R}², R = dataVelocityRange.
    var dataVelocityRange = 1
    /// The FERNN's velocity set V = {-k..k}², k = modelVelocityRange (1: FERNN-V1, 2: FERNN-V2).
    var modelVelocityRange = 1
    var hiddenChannels = 16
    var decoderLayers = 1
    var inputFrames = 5
    var predictedFrames = 5
    /// Length generalisation: the models predict this many times the training length.
    var lengthFactor = 3
    var trainingSequences = 2_000
    var testSequences = 200
    var epochs = 2
    var batchSize = 8
    var learningRate = 1e-3
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
        Option("input-frames", default: "5", help: "frames the models read"),
        Option("predicted-frames", default: "5", help: "frames they learn to predict"),
        Option("length-factor", default: "3", help: "length generalisation: predict this many times --predicted-frames"),
        Option("training-sequences", default: "2000", help: "training sequences per epoch (redrawn every epoch)"),
        Option("test-sequences", default: "200", help: "test sequences (fixed, from MNIST test digits)"),
        Option("epochs", default: "2", help: "training epochs per model"),
        Option("batch-size", default: "8", help: "sequences per step"),
        Option("learning-rate", default: "0.001", help: "Adam learning rate"),
        Option("seed", default: "1", help: "seeds data, initialization and batch order"),
        Option("data", default: "", help: "MNIST directory (default: the copy inside the repository)"),
        Option("output", default: "runs/flows", help: "directory for checkpoints, metrics, results and pictures"),
        Option("threads", default: "0", help: "kernel threads (0: all cores)"),
        Option(flag: "paper", help: "the paper's configuration (2 digits, R = 2, FERNN-V2, hidden 128, batch 128, 50 epochs); explicit options still win"),
        Option(flag: "resume", help: "continue from the checkpoints in --output"),
    ]

    init() {}

    init(_ arguments: Arguments) throws {
        if arguments.flag("paper") {
            (digits, dataVelocityRange, modelVelocityRange, hiddenChannels, decoderLayers) = (2, 2, 2, 128, 4)
            (inputFrames, predictedFrames) = (10, 10)
            (trainingSequences, testSequences, epochs, batchSize) = (54_000, 10_000, 50, 128)
        }
        func value<Value: LosslessStringConvertible>(_ name: String, _ current: Value) throws -> Value {
            arguments.isGiven(name) || !arguments.flag("paper") ? try arguments.value(name) : current
        }
        digits = try value("digits", digits)
        dataVelocityRange = try value("data-velocities", dataVelocityRange)
        modelVelocityRange = try value("model-velocities", modelVelocityRange)
        hiddenChannels = try value("hidden", hiddenChannels)
        decoderLayers = try value("decoder-layers", decoderLayers)
        inputFrames = try value("input-frames", inputFrames)
        predictedFrames = try value("predicted-frames", predictedFrames)
        lengthFactor = try value("length-factor", lengthFactor)
        trainingSequences = try value("training-sequences", trainingSequences)
        testSequences = try value("test-sequences", testSequences)
        epochs = try value("epochs", epochs)
        batchSize = try value("batch-size", batchSize)
        learningRate = try value("learning-rate", learningRate)
        seed = try value("seed", seed)
        dataDirectory = try arguments.value("data")
        outputDirectory = try arguments.value("output")
        let positive = [digits, hiddenChannels, inputFrames, predictedFrames, lengthFactor, trainingSequences, testSequences, epochs, batchSize]
        guard positive.allSatisfy({ $0 >= 1 }), dataVelocityRange >= 0, modelVelocityRange >= 0, decoderLayers >= 0, learningRate > 0 else {
            throw ArgumentError.invalidValue(option: "digits/hidden/frames/sequences/epochs/batch-size/velocities",
                                             value: "\(self)", expected: "positive counts and non-negative velocity ranges")
        }
    }

    var outputURL: URL { URL(fileURLWithPath: outputDirectory) }

    func encoded() -> String { String(decoding: try! JSONEncoder().encode(self), as: UTF8.self) }

    static func decoded(_ text: String) throws -> FlowOptions {
        try JSONDecoder().decode(FlowOptions.self, from: Data(text.utf8))
    }
}
