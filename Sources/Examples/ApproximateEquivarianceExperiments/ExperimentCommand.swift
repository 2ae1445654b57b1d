import Foundation
import OrbitCommandLine
import OrbitDatasets
import OrbitExperiments
import OrbitModels

/// The command line of `ApproximateEquivarianceExperiments`: the options and their checked values, which
/// experiment to run and its `ApproximateEquivarianceSettings`, whether to resume (the experiments are
/// OrbitExperiments'; `run(stop:)` starts one).
/// Every value is checked before any simulation or training starts; a bad one throws an `ArgumentError`
/// naming the option and the accepted values (a usage error, exit status 2).
struct ExperimentCommand {
    /// Table 1 on one design, Table 1 at several training budgets, or section 5.2's equivariance levels.
    enum Experiment: String, CaseIterable { case table, budget, levels }
    /// How RSteer starts in the levels experiment.
    enum RSteerStart: String, CaseIterable { case equivariant, random }

    static let summary = "Relaxed vs. Conv vs. strictly equivariant models on smoke plumes."

    static let options = [
        Option("experiment", default: "table", help: "table (Table 1 on one design), budget (Table 1 at each of --budgets, and the "
               + "paper's ordering at each) or levels (section 5.2: model vs data equivariance error)"),
        Option("budgets", default: "120x16x10,400x32x20", help: "budget: comma-separated train-windows x hidden x epochs, each "
               + "replacing those three options"),
        Option("symmetry", default: "rotation", help: "translation, rotation or scaling"),
        Option("epochs", default: "30", help: "training epochs, >= 1 (the reference: up to 1000 with early stopping)"),
        Option("hidden", default: "32", help: "Conv channels, >= 1; steerable models use hidden/4 regular C4 fields (see --steerable-width)"),
        Option("steerable-width", default: "channels", help: "rotation Equiv and RSteer: channels (hidden/4 regular fields each, Conv's "
               + "channel count) or reference (Equiv hidden fields, RSteer hidden/2, as the reference's run_equiv_test.py)"),
        Option("layers", default: "5", help: "layers per model, >= 2"),
        Option("banks", default: "2", help: "L, filter banks of the relaxed group models, >= 1"),
        Option("models", default: "default", help: "comma-separated Table 1 columns (MLP, Conv, Equiv, RPP, Combo, CLCNN, Lift, "
               + "RGroup, RSteer; those the symmetry has), all, or default (Conv, Equiv and RSteer; translation: Conv and RGroup); "
               + "levels: any of Conv, Equiv and RSteer"),
        Option("alpha", default: "1e-5", help: "soft-equivariance regularizer weight of RGroup and RSteer (paper form, linear in alpha)"),
        Option("rpp-prior", default: "1e-2", help: "RPP: weight of the prior sum of squares on the plain pathway"),
        Option("hinge-alpha", default: "1", help: "CLCNN: weight of the hinge equivariance penalty"),
        Option("hinge-margin", default: "1e-2", help: "CLCNN: mean squared equivariance error the hinge penalty tolerates"),
        Option("train-windows", default: "1000", help: "training windows used per epoch (spread over all tasks and starts)"),
        Option("eval-windows", default: "200", help: "windows per validation and test split"),
        Option("seeds", default: "0,1,2", help: "comma-separated seeds"),
        Option("batch", default: "8", help: "batch size"),
        Option("lr", default: "1e-3", help: "learning rate"),
        Option("decay", default: "0.95", help: "StepLR factor per epoch"),
        Option("early-stop-after", default: "100", help: "epochs before the reference's early-stopping rule applies"),
        Option("plan", default: "paper", help: "paper (310 frames) or small (62 frames, few starts: for smoke tests)"),
        Option("tasks", default: "0", help: "use only the first n training and n test-domain tasks (0 = all)"),
        Option("cache", default: ".build/fluids-cache", help: "directory of cached simulations"),
        Option("output", default: "", help: "markdown file to write (default Docs/results/approximate-equivariance-<symmetry>.md; "
               + "levels: the path without extension, default Docs/results/approximate-equivariance-levels)"),
        Option("levels", default: "0,1,2,3,4,5,6,7,8,9", help: "levels: comma-separated data sets of growing equivariance error, "
               + "distinct, each in 0...16"),
        Option("pool", default: "1", help: "levels: average the 64 x 64 fields over n x n blocks (2: 32 x 32; n divides 64)"),
        Option("rsteer-init", default: "equivariant", help: "levels: RSteer starts equivariant or, as the reference, random"),
        Option("checkpoints", default: "runs/approximate-equivariance", help: "folder of every model's checkpoint, best weights, metrics "
               + "and curve: <folder>/table-<symmetry>/seed-<s>/<model>/, levels: <folder>/levels/level-<l>/seed-<s>/<model>/"),
        Option(flag: "resume", help: "continue every model from its checkpoint under --checkpoints (finished ones are only evaluated "
               + "again); without it, existing checkpoints are refused"),
    ]

    let experiment: Experiment
    let settings: ApproximateEquivarianceSettings
    /// Continue from the checkpoints under `settings.checkpoints` (`--resume`).
    let resume: Bool
    /// The budgets of `--experiment budget`.
    let budgets: [TableBudgetExperiment.Budget]

    init(_ arguments: Arguments) throws {
        experiment = try arguments.choice("experiment", as: Experiment.self)
        var settings = ApproximateEquivarianceSettings(symmetry: try arguments.choice("symmetry", as: SmokePlumeDesign.Symmetry.self))
        settings.models = try TableModel.parse(try arguments.value("models"), for: experiment == .levels ? .rotation : settings.symmetry)
        if experiment == .levels, !settings.models.allSatisfy(EquivarianceLevelExperiment.models.contains) {
            throw ArgumentError.invalidValue(option: "models", value: try arguments.value("models"),
                                             expected: "a list of Conv, Equiv and RSteer for --experiment levels")
        }
        settings.plan = try arguments.choice("plan", as: ApproximateEquivarianceSettings.Plan.self)
        settings.taskLimit = try arguments.value("tasks", in: 0...)
        settings.seeds = try arguments.list("seeds", of: UInt64.self)
        settings.levels = try arguments.distinctList("levels", of: Int.self, element: "an integer in 0...16", where: { (0...16).contains($0) })
        settings.pool = Int(try arguments.choice("pool", from: [1, 2, 4, 8, 16, 32].map(String.init)))!
        var model = ModelSettings(hidden: try arguments.value("hidden", in: 1...), layers: try arguments.value("layers", in: 2...),
                                  bankCount: try arguments.value("banks", in: 1...), alpha: try arguments.value("alpha", in: 0...),
                                  size: 64)
        model.priorAlpha = try arguments.value("rpp-prior", in: 0...)
        model.hingeAlpha = try arguments.value("hinge-alpha", in: 0...)
        model.hingeMargin = try arguments.value("hinge-margin", in: 0...)
        model.relaxedInitialization = try arguments.choice("rsteer-init", as: RSteerStart.self) == .random ? .referenceRandom : .equivariant
        model.steerableWidth = try arguments.choice("steerable-width", as: ModelSettings.SteerableWidth.self)
        settings.modelSettings = model
        settings.training = FluidTrainingSettings(epochs: try arguments.value("epochs", in: 1...),
                                                  batchSize: try arguments.value("batch", in: 1...),
                                                  learningRate: try arguments.value("lr", above: 0), decay: try arguments.value("decay", above: 0),
                                                  earlyStopAfter: try arguments.value("early-stop-after", in: 0...))
        settings.trainWindows = try arguments.value("train-windows", in: 1...)
        settings.evaluationWindows = try arguments.value("eval-windows", in: 1...)
        settings.cache = try arguments.value("cache")
        settings.output = try arguments.value("output")   // as given (empty: the default path of the experiment)
        settings.checkpoints = try arguments.value("checkpoints")
        self.settings = settings
        resume = arguments.flag("resume")
        budgets = try arguments.list("budgets", of: TableBudgetExperiment.Budget.self, element: "windows x hidden x epochs, e.g. 120x16x10")
        if experiment == .budget, let given = ["train-windows", "hidden", "epochs"].first(where: arguments.isGiven) {
            throw ArgumentError.invalidValue(option: given, value: try arguments.value(given), expected: "no value with --experiment budget "
                                             + "(each of --budgets sets the training windows, hidden and epochs)")
        }
    }

    /// The checkpoint of every model the experiment trains (`--resume` needs at least one).
    var checkpoints: [URL] {
        switch experiment {
        case .table: SmokePlumeExperiment(settings: settings).checkpoints
        case .budget: TableBudgetExperiment(settings: settings, budgets: budgets).checkpoints
        case .levels: EquivarianceLevelExperiment(settings: settings).checkpoints
        }
    }

    /// Runs the experiment (`stop` asked before every training step); false when it stopped, its checkpoints saved.
    func run(stop: @escaping () -> Bool) throws -> Bool {
        if resume { try MissingCheckpointError.requireAny(of: checkpoints) }   // refuse rather than silently start over
        switch experiment {
        case .table: return try SmokePlumeExperiment(settings: settings).run(resume: resume, shouldStop: stop) != nil
        case .budget: return try TableBudgetExperiment(settings: settings, budgets: budgets).run(resume: resume, shouldStop: stop) != nil
        case .levels: return try EquivarianceLevelExperiment(settings: settings).run(resume: resume, shouldStop: stop) != nil
        }
    }
}

/// An unknown `--models` name is a mistake in the command line.
extension ModelSelectionError: UsageError {}
