import Foundation
import OrbitCommandLine
import OrbitDatasets
import OrbitModels
import OrbitNN

/// Table 1 of Wang, Walters and Yu (ICML 2022) at a chosen scale: the models of `settings.models` (by
/// default Conv, the strictly equivariant model and the relaxed one) trained with `FluidTraining` on one
/// smoke-plume design, for every seed; Future and Domain RMSE (20-step rollouts) as mean ± std over seeds,
/// printed and written as a markdown table (`settings.output`, default
/// Docs/results/approximate-equivariance-<symmetry>.md). Progress goes to standard output. Each model's
/// training files go to `settings.checkpoints/table-<symmetry>/seed-<s>/<model>/`, so a stopped run resumes.
public struct SmokePlumeExperiment {
    /// One model's row of the table: its parameter count and the outcome of each seed, in seed order.
    public struct Row: Sendable {
        public let model: String
        public let parameters: Int
        public let outcomes: [TableOutcome]
    }

    public let settings: ApproximateEquivarianceSettings

    public init(settings: ApproximateEquivarianceSettings) { self.settings = settings }

    /// The design `settings` select: the symmetry's, truncated for the small plan and to `taskLimit` tasks.
    public var design: SmokePlumeDesign {
        let (symmetry, plan, taskLimit) = (settings.symmetry, settings.splitPlan, settings.taskLimit)
        var design: SmokePlumeDesign = switch symmetry {
        case .translation: .translation()
        case .rotation: .rotation()
        case .scaling: .scaling()
        }
        if plan != .paper { design = design.truncated(toSteps: plan.requiredFrames + 1) }
        if taskLimit > 0 {
            design = SmokePlumeDesign(symmetry: symmetry, trainTasks: Array(design.trainTasks.prefix(taskLimit)),
                                      testDomainTasks: Array(design.testDomainTasks.prefix(taskLimit)))
        }
        return design
    }

    /// The folder of `model`'s files at `seed`: `<checkpoints>/table-<symmetry>/seed-<seed>/<model>` (conv, equiv, rsteer, ...).
    public func folder(_ model: TableModel, seed: UInt64) -> URL {
        settings.modelFolder(model, experiment: "table-\(settings.symmetry.rawValue)", seed: seed)
    }

    /// The checkpoint of every model `run` trains, in the order it trains them.
    public var checkpoints: [URL] {
        settings.seeds.flatMap { seed in settings.models.map { folder($0, seed: seed).appendingPathComponent("checkpoint.safetensors") } }
    }

    /// What a model's checkpoint records (`ApproximateEquivarianceSettings.recordedSettings`): also the symmetry,
    /// plan, task limit and windows.
    func recordedSettings(_ contender: Contender, seed: UInt64) -> [String: String] {
        settings.recordedSettings(experiment: "table", model: contender.name, settings.modelSettings, seed: seed).merging([
            "symmetry": settings.symmetry.rawValue, "plan": settings.plan.rawValue, "taskLimit": "\(settings.taskLimit)",
            "trainWindows": "\(settings.trainWindows)", "evaluationWindows": "\(settings.evaluationWindows)",
        ]) { $1 }
    }

    /// Simulates (or reads from the cache) the design, trains and tests every model for every seed, prints
    /// the table and writes it. Returns the rows in the order the models were trained; nil when `shouldStop`
    /// stopped training (asked before every step, e.g. Ctrl-C; the model in training saves its checkpoint).
    ///
    /// Without `resume`, a model folder that already holds a checkpoint is refused before anything runs
    /// (`ExistingCheckpointError`). With it, every model continues from its checkpoint (one that had finished is
    /// only tested again, with its best epoch's parameters), so the table is that of an uninterrupted run;
    /// a checkpoint made with other settings is refused, naming them.
    @discardableResult
    public func run(resume: Bool = false, shouldStop: @escaping () -> Bool = { false }) throws -> [Row]? {
        if !resume { try ExistingCheckpointError.refuse(checkpoints) }
        let (symmetry, models, modelSettings, training) = (settings.symmetry, settings.models, settings.modelSettings, settings.training)
        let (plan, seeds) = (settings.splitPlan, settings.seeds)
        let (trainWindows, evaluationWindows) = (settings.trainWindows, settings.evaluationWindows)
        let start = Date()
        let data = try SmokePlumeData(design, cache: FluidCache(directory: URL(fileURLWithPath: settings.cache)))
        Console.line(String(format: "%@: %d + %d sequences ready in %.1f s", symmetry.rawValue, data.trainSequences.count,
                            data.testDomainSequences.count, Date().timeIntervalSince(start)))

        var results: [String: [TableOutcome]] = [:]
        var order: [String] = [], parameterCounts: [String: Int] = [:]
        for seed in seeds {
            for (model, contender) in zip(models, contenders(models, for: symmetry, modelSettings, seed: seed)) {
                if results[contender.name] == nil { order.append(contender.name) }
                parameterCounts[contender.name] = contender.model.parameterCount
                let files = FluidCheckpointing(folder: folder(model, seed: seed), settings: recordedSettings(contender, seed: seed), resume: resume,
                                               shouldStop: shouldStop)
                guard let outcome = try FluidTraining.train(contender, data: data, plan: plan, trainWindows: trainWindows,
                                                            evaluationWindows: evaluationWindows, settings: training, seed: seed,
                                                            checkpointing: files) else { return nil }
                Console.line(String(format: "%@ seed %d: future %.4f, domain %.4f (best epoch %d, %.1f s)", contender.name, seed,
                                    outcome.future, outcome.domain, outcome.bestEpoch, outcome.seconds))
                results[contender.name, default: []].append(outcome)
            }
        }
        let rows = order.map { Row(model: $0, parameters: parameterCounts[$0]!, outcomes: results[$0]!) }

        // The penalty settings of RPP and CLCNN, when they ran (the default models' line is as before).
        let penalties = (models.contains(.residualPathway) ? ", RPP prior \(modelSettings.priorAlpha)" : "")
            + (models.contains(.locallyConnected) ? ", CLCNN hinge alpha \(modelSettings.hingeAlpha) margin \(modelSettings.hingeMargin)" : "")
        var lines = ["# Approximately equivariant networks: \(symmetry.rawValue) smoke plumes", "",
                     "Settings: epochs \(training.epochs), hidden \(modelSettings.hidden), layers \(modelSettings.layers), "
                         + "banks \(modelSettings.bankCount), alpha \(modelSettings.alpha)\(penalties), train windows \(trainWindows), "
                         + "eval windows \(evaluationWindows), plan \(plan == .paper ? "paper" : "small"), "
                         + "tasks \(data.trainSequences.count) + \(data.testDomainSequences.count), batch \(training.batchSize), "
                         + "lr \(training.learningRate), decay \(training.decay), seeds \(seeds.map(String.init).joined(separator: ",")). "
                         + "RMSE over 20 autoregressive steps, mean ± std over seeds.", "",
                     "| model | parameters | Future RMSE | Domain RMSE | seconds per run |", "|---|---|---|---|---|"]
        for row in rows {
            let outcomes = row.outcomes
            lines.append("| \(row.model) | \(row.parameters) | \(meanAndDeviation(outcomes.map(\.future))) | "
                         + "\(meanAndDeviation(outcomes.map(\.domain))) | "
                         + "\(String(format: "%.1f", outcomes.map(\.seconds).reduce(0, +) / Double(outcomes.count))) |")
        }
        let table = lines.joined(separator: "\n") + "\n"
        Console.line(table)
        let output = settings.output.isEmpty ? "Docs/results/approximate-equivariance-\(symmetry.rawValue).md" : settings.output
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: output).deletingLastPathComponent(), withIntermediateDirectories: true)
        try table.write(toFile: output, atomically: true, encoding: .utf8)
        Console.line(String(format: "wrote %@ (total %.1f s)", output, Date().timeIntervalSince(start)))
        return rows
    }
}
