import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitImages
import OrbitTraining

/// Issue 17's experiment on imperfect flows (`orbit-flows --experiment imperfect`): do the G-RNN, the
/// G-RNN+, the FERNN and the relaxed FERNN keep up when the data's motion departs from the flows?
/// For each level l of `experiment.levels` it runs a `PaperExperiment` of kind `imperfect` on
/// `ImperfectTranslatingMNIST` with `FlowBreaking(experiment.breaking.kind, level: l)` (level 0: exact
/// integer flows), in `<output>/level-<l>/` (seeds, models, checkpoints, resuming and its own results.md
/// as any `PaperExperiment`), then writes to `<output>`, as the approximate-equivariance paper's section 5.2
/// plots its models against the symmetry level:
/// - results.md: per level and model, the test MSE and the learned flow-equivariance error
///   (`learnedFlowEquivarianceError` of the trained cell; n/a for the G-RNN), mean ± std over seeds;
/// - results.json: those numbers per level, model and seed;
/// - test-mse-by-level.png, equivariance-error-by-level.png: log10 of each (mean over seeds) against the
///   level, one line per model.
public final class ImperfectFlowExperiment {
    public let experiment: PaperExperimentSettings
    public let settings: FlowSettings
    /// One experiment per level, in `experiment.levels` order.
    public let runs: [PaperExperiment]
    /// Data-parallel: every level's ranks train together (Docs/Distributed.md); rank 0 writes the summary.
    public var communicator: (any GradientCommunicator)? {
        didSet { for run in runs { run.communicator = communicator } }
    }

    /// Reads MNIST once and prepares one `PaperExperiment` per level (creating the output directories).
    public init(experiment: PaperExperimentSettings, settings: FlowSettings) throws {
        guard experiment.kind == .imperfect, !experiment.levels.isEmpty else {
            throw ImperfectFlowExperimentError.notImperfect(kind: experiment.kind.rawValue, levels: experiment.levels)
        }
        (self.experiment, self.settings) = (experiment, settings)
        let digits = try ExperimentDigits(settings: settings)
        runs = try experiment.levels.map { level in
            var chosen = experiment
            chosen.breaking = FlowBreaking(experiment.breaking.kind, level: level, step: experiment.breaking.step)
            var levelSettings = settings
            levelSettings.outputDirectory = settings.outputURL.appendingPathComponent("level-\(level)").path
            return try PaperExperiment(experiment: chosen, settings: levelSettings, digits: digits)
        }
    }

    /// Runs every level in turn, then writes the summary; false when `stop` ended it early (checkpoints are
    /// saved; `resume: true` continues, finished models are only re-evaluated).
    public func run(resume: Bool, stop: @escaping () -> Bool) throws -> Bool {
        for run in runs {
            Console.line("\n== \(run.experiment.breaking) ==")
            guard try run.run(resume: resume, stop: stop) else { return false }
        }
        if (communicator?.rank ?? 0) == 0 { try write() }
        return true
    }

    /// The models with results at some level, in the experiment's order.
    private var modelNames: [String] {
        experiment.models.map(\.description).filter { name in runs.contains { $0.report.results[name] != nil } }
    }

    /// `value` of each seed's result of `model` at the level of `run`.
    private func perSeed<Value>(_ run: PaperExperiment, _ model: String, _ value: (PaperExperimentResult) -> Value) -> [Value] {
        run.report.perSeed(model, value)
    }

    /// The markdown of results.md.
    public func markdown() -> String {
        let names = modelNames
        func table(_ title: String, _ value: @escaping (PaperExperimentResult) -> Double?) -> [String] {
            ["", title, "", "| level | " + names.joined(separator: " | ") + " |", "|---|" + String(repeating: "---|", count: names.count)]
                + runs.map { run in
                    "| \(run.experiment.breaking.level) | " + names.map { name in
                        let values = perSeed(run, name, value).compactMap { $0 }
                        return values.isEmpty ? "n/a" : Evaluate.formatted(values)
                    }.joined(separator: " | ") + " |"
                }
        }
        let breaking = experiment.breaking
        let lines = ["# Imperfect flows: \(breaking.kind), levels " + experiment.levels.map(String.init).joined(separator: ", "),
                     "", "Data: ImperfectTranslatingMNIST, \(settings.digits) digit(s), velocities {-\(settings.dataVelocityRange)..\(settings.dataVelocityRange)}², "
                        + "\(breaking.kind) of amplitude level × \(breaking.step) "
                        + (breaking.kind == .acceleration ? "px/frame²" : "px/frame") + " (level 0: exact integer flows). "
                        + "Seeds \(experiment.seeds.map(String.init).joined(separator: ", ")); relaxed FERNNs: L = \(experiment.bankCount) banks, "
                        + "α = \(experiment.relaxedAlpha). Each level's own results.md (level-<l>/) has the per-seed figures and the length curves."]
            + table("## Test MSE over \(settings.predictedFrames) predicted frames (mean ± std over seeds)", { $0.testMSE })
            + table("## Learned flow-equivariance error (mean ± std over seeds; n/a: |V| = 1)", { $0.learnedEquivarianceError })
            + ["", "test-mse-by-level.png and equivariance-error-by-level.png: log10 of each (mean over seeds; an error of exactly 0, "
                + "as a FERNN's can be, is drawn at 1e-12) against the level; "
                + PaperExperimentReport.legend(names) + "."]
        return lines.joined(separator: "\n") + "\n"
    }

    /// log10 of `value` (mean over seeds) against the level, one line per model; models without a value at any level keep
    /// their colour but draw nothing.
    func levelPlot(_ value: (PaperExperimentResult) -> Double?) -> LinePlot {
        let curves = modelNames.map { name in
            runs.compactMap { run -> (x: Double, y: Double)? in
                let values = perSeed(run, name, value).compactMap { $0 }
                return values.isEmpty ? nil : (x: Double(run.experiment.breaking.level), y: values.reduce(0, +) / Double(values.count))
            }
        }
        let levels = experiment.levels.map(Double.init)
        return PaperExperimentReport.logarithmicPlot(curves, xRange: (levels.min()! - 0.5)...(levels.max()! + 0.5))
    }

    /// Prints results.md and writes it, results.json and the two plots to `settings.outputURL`.
    public func write() throws {
        let text = markdown()
        Console.line("\n" + text)
        let directory = settings.outputURL
        try Data(text.utf8).write(to: directory.appendingPathComponent("results.md"), options: .atomic)
        var json: [String: Any] = ["options": settings.encoded(), "experiment": experiment.kind.rawValue, "breaking": experiment.breaking.kind.rawValue,
                                   "levels": experiment.levels, "seeds": experiment.seeds.map { Int($0) },
                                   "bank_count": experiment.bankCount, "relaxed_alpha": experiment.relaxedAlpha]
        for name in modelNames {
            json[name] = Dictionary(uniqueKeysWithValues: runs.map { run in
                ("level-\(run.experiment.breaking.level)", Dictionary(uniqueKeysWithValues: experiment.seeds.compactMap { seed in
                    run.report.results[name]?[seed].map { result -> (String, Any) in
                        var fields: [String: Any] = ["test_mse": result.testMSE]
                        fields["learned_flow_equivariance_error"] = result.learnedEquivarianceError
                        return ("seed-\(seed)", fields)
                    }
                }))
            })
        }
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            .write(to: directory.appendingPathComponent("results.json"), options: .atomic)
        try levelPlot({ $0.testMSE }).image.writePNG(to: directory.appendingPathComponent("test-mse-by-level.png"))
        try levelPlot({ $0.learnedEquivarianceError }).image.writePNG(to: directory.appendingPathComponent("equivariance-error-by-level.png"))
        Console.line("wrote \(directory.path)/results.md, results.json, test-mse-by-level.png, equivariance-error-by-level.png")
    }
}

/// Why an `ImperfectFlowExperiment` refused its settings.
public enum ImperfectFlowExperimentError: Error, CustomStringConvertible {
    case notImperfect(kind: String, levels: [Int])

    public var description: String {
        switch self {
        case let .notImperfect(kind, levels): "ImperfectFlowExperiment needs --experiment imperfect and at least one level, got \(kind) with levels \(levels)"
        }
    }
}
