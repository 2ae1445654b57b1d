import Foundation
import OrbitCommandLine
import OrbitDatasets
import OrbitExperiments

// The command line of orbit-flows: the options of `FlowSettings` (the library's plain settings) and of
// `PaperExperimentSettings`, and their parsing. Everything they configure lives in OrbitExperiments.

extension FlowSettings {
    static let summary = """
        Trains a G-RNN and a FERNN on Translating MNIST (digits moving on a 28x28 torus) to predict the next
        frames, then prints the test MSE of both, the length-generalisation curve (predicting \
        --length-factor times the training length), and writes PNGs of ground truth vs predictions.
        Then it rolls the trained models that ship in Sources/OrbitModels/Trained out to 70 steps on fixed
        test sequences and writes their tables and pictures to <output>/trained.
        Each model checkpoints after every epoch and on Ctrl-C (--resume continues exactly).
        Defaults are a reduced configuration that runs in minutes; --paper is the paper's configuration.
        --experiment translating|bouncing|rotating runs one of the paper's experiments instead, with the same
        data and training options: every --models entry for every --seeds value, then a table (mean ± std),
        the MSE per future step and, for translating, the velocity-generalisation grid and heat maps.
        --experiment between-generators: digits moving at --x-velocities (y = 0), FERNNs over x-velocity sets
        (fernn-xK, fernn-xK-stepS), the MSE per data velocity and its average (table and plot).
        --experiment imperfect: ImperfectTranslatingMNIST with --breaking at each of --levels, the G-RNN,
        G-RNN+, FERNN and relaxed FERNN; test MSE and learned flow-equivariance error against the level.
        """

    static let options: [Option] = [
        Option("digits", default: "1", help: "digits per sequence (the paper: 2)"),
        Option("data-velocities", default: "1", help: "R: digits move with velocities in {-R..R}^2 pixels per frame"),
        Option("model-velocities", default: "1", help: "k: the FERNN's velocity set {-k..k}^2 (1: FERNN-V1, 2: FERNN-V2)"),
        Option("hidden", default: "16", help: "hidden channels of both models"),
        Option("decoder-layers", default: "1", help: "hidden 3x3 layers of the decoder"),
        Option("input-frames", default: "10", help: "frames the models read"),
        Option("predicted-frames", default: "10", help: "frames they learn to predict"),
        Option("length-factor", default: "7", help: "length generalisation: predict this many times --predicted-frames (7: to step 70, as the paper)"),
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
        Option(flag: "feedback-gradient", help: "backpropagate through the fed-back predictions too (the paper detaches them)"),
        Option(flag: "identity-recurrence", help: "experiments: start the FERNN's and G-RNN's recurrent kernel W at the identity (IRNN) instead of PyTorch's default"),
    ]

    /// The options of `arguments`, each checked on its own: a bad value throws an `ArgumentError` naming
    /// that option and its accepted range (a usage error, exit status 2).
    init(_ arguments: Arguments) throws {
        self = arguments.flag("paper") ? .paper : FlowSettings()
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
        feedbackGradient = arguments.flag("feedback-gradient")
        identityRecurrence = arguments.flag("identity-recurrence")
    }
}

extension PaperExperimentSettings {
    static let options: [Option] = [
        Option("experiment", default: "", help: "run an experiment instead of the main job: translating, bouncing, rotating, "
               + "between-generators or imperfect"),
        Option("seeds", default: "1,2,3", help: "experiments: comma-separated seeds (the table reports mean ± std over them)"),
        Option("models", default: "", help: "experiments: comma-separated models, " + Model.grammar + " (default per experiment)"),
        Option("grid-range", default: "2", help: "translating: G, test each velocity of {-G..G}^2 separately (0: skip)"),
        Option("grid-sequences", default: "100", help: "translating, between-generators: sequences per fixed-velocity test set"),
        Option("group-order", default: "8", help: "rotating: N of C_N; flows and data velocities are multiples of 360/N degrees"),
        Option("x-velocities", default: "-5,-4,-3,-2,-1,0,1,2,3,4,5",
               help: "between-generators: the data's x-velocities in pixels per frame (y = 0), distinct integers"),
        Option("breaking", default: "drift", help: "imperfect: how the motion departs from the flows: drift, acceleration or noise"),
        Option("levels", default: "0,1,2,3", help: "imperfect: breaking levels, distinct integers >= 0 (0: exact flows; amplitude "
               + "0.25 px/frame per level for drift and noise, 0.05 px/frame^2 for acceleration)"),
        Option("equivariance-sequences", default: "20", help: "imperfect: test sequences for the learned flow-equivariance error"),
        Option("banks", default: "2", help: "relaxed-fernn models: L, the shared filter banks"),
        Option("relaxed-alpha", default: "0.01", help: "relaxed-fernn models: alpha of the soft flow-equivariance regulariser added to the loss"),
        Option("publish", default: "", help: "translating: when the run is done, ship these models (comma-separated), each its best seed, "
               + "into Sources/OrbitModels/Trained with a manifest and SHA-256"),
        Option("trained-commit", default: "", help: "--publish: the commit that trained the models (default: the repository's HEAD)"),
    ]

    /// The experiment chosen by `--experiment`, or nil for the main job. Each option is checked on its
    /// own; a bad value throws an `ArgumentError` naming it and the accepted values.
    static func parse(_ arguments: Arguments) throws -> PaperExperimentSettings? {
        guard try !arguments.value("experiment", as: String.self).isEmpty else { return nil }
        let kind = try arguments.choice("experiment", as: Kind.self)
        let modelList: String = try arguments.value("models")
        let models = try modelList.isEmpty ? nil : modelList.split(separator: ",", omittingEmptySubsequences: false).map { name in
            guard let model = Model(String(name)) else {
                throw ArgumentError.invalidValue(option: "models", value: String(name), expected: Model.grammar)
            }
            return model
        }
        var experiment = PaperExperimentSettings(kind: kind, models: models)
        guard !experiment.models.isEmpty else {
            throw ArgumentError.invalidValue(option: "models", value: modelList, expected: Model.grammar + ", comma-separated")
        }
        for model in experiment.models {
            if let reason = experiment.unsupported(model) {
                throw ArgumentError.invalidValue(option: "models", value: model.description, expected: reason)
            }
        }
        experiment.seeds = try arguments.list("seeds", of: UInt64.self)
        experiment.gridRange = try arguments.value("grid-range", in: 0...)
        experiment.gridSequences = try arguments.value("grid-sequences", in: 1...)
        experiment.groupOrder = try arguments.value("group-order", in: 1...)
        experiment.xVelocities = try arguments.distinctList("x-velocities", of: Int.self)
        experiment.breaking = FlowBreaking(try arguments.choice("breaking", as: FlowBreaking.Kind.self), level: 0)
        experiment.levels = try arguments.distinctList("levels", of: Int.self, element: "an integer >= 0", where: { $0 >= 0 })
        experiment.equivarianceSequences = try arguments.value("equivariance-sequences", in: 1...)
        experiment.bankCount = try arguments.value("banks", in: 1...)
        experiment.relaxedAlpha = try arguments.value("relaxed-alpha", in: 0.0...)
        return experiment
    }
}

/// The models `--publish` names (none when not given); each must be one of the run's G-RNNs or FERNNs
/// without V-mixing on Translating MNIST.
func shippedModels(_ arguments: Arguments, _ experiment: PaperExperimentSettings) throws -> [String] {
    guard arguments.isGiven("publish") else { return [] }
    let names = try arguments.list("publish", of: String.self)
    for name in names {
        guard experiment.publishableModel(name) != nil else {
            throw ArgumentError.invalidValue(option: "publish", value: name,
                                             expected: "one of this translating run's grnn or fernn-vK --models without -mix ("
                                                + experiment.models.map(\.description).joined(separator: ", ") + ")")
        }
    }
    return names
}
