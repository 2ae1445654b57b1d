import Foundation
import OrbitCommandLine
import OrbitDatasets
import OrbitImages
import OrbitModels
import OrbitTraining

/// Table 1 against the training budget: `SmokePlumeExperiment` run once per budget, each budget setting the
/// training windows per epoch, the width and the epochs, and the paper's ordering of the models read at each
/// (Wang, Walters and Yu, ICML 2022: RSteer ≤ RGroup < Equiv < Conv in Future and Domain RMSE).
///
/// Budget k (1-based) runs the table experiment with its windows, `hidden` and epochs and everything else
/// from `settings`: its models' files go to `<checkpoints>/budget-<k>/table-<symmetry>/seed-<s>/<model>/` and
/// its table to `<output>-budget-<k>.md`. Then `<output>.md` gets one row per budget and model (Future and
/// Domain RMSE, mean ± std over seeds; seconds per run) and, per budget, whether the paper's ordering holds for
/// the means and for how many seeds; `<output>-future.png` and `<output>-domain.png` plot each model's mean RMSE
/// against the budget's index. The default `<output>` is Docs/results/approximate-equivariance-budget-<symmetry>.
public struct TableBudgetExperiment {
    /// One budget: training windows per epoch, Conv's width (`ModelSettings.hidden`; the other models follow it
    /// as in Table 1) and epochs. Written `windows x hidden x epochs`, e.g. `120x16x10`.
    public struct Budget: Sendable, Equatable, LosslessStringConvertible {
        public var trainWindows: Int, hidden: Int, epochs: Int

        public init(trainWindows: Int, hidden: Int, epochs: Int) {
            (self.trainWindows, self.hidden, self.epochs) = (trainWindows, hidden, epochs)
        }

        /// `windows x hidden x epochs`, each a positive integer; nil otherwise.
        public init?(_ description: String) {
            let parts = description.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 3, let windows = parts[0], let hidden = parts[1], let epochs = parts[2],
                  windows > 0, hidden > 0, epochs > 0 else { return nil }
            self.init(trainWindows: windows, hidden: hidden, epochs: epochs)
        }

        public var description: String { "\(trainWindows)x\(hidden)x\(epochs)" }
    }

    /// The paper's ordering, best first; each model's RMSE must be below the next one's (RSteer ≤ RGroup).
    public static let paperOrder: [TableModel] = [.relaxedSteerable, .relaxedGroup, .equivariant, .conv]

    /// The paper's Table 1 (Future, Domain RMSE) for the columns it fills, by symmetry (translation's Equiv is the
    /// plain CNN, listed as Conv here as in `TableModel.available(for:)`).
    public static let paperRMSE: [SmokePlumeDesign.Symmetry: [TableModel: (future: Double, domain: Double)]] = [
        .translation: [.mlp: (1.56, 1.79), .conv: (0.94, 0.68), .residualPathway: (0.92, 0.93), .combo: (1.02, 0.98),
                       .locallyConnected: (0.92, 0.89), .lift: (0.87, 0.70), .relaxedGroup: (0.71, 0.62)],
        .rotation: [.mlp: (1.38, 1.34), .conv: (1.21, 1.10), .equivariant: (1.05, 0.76), .residualPathway: (0.96, 0.83),
                    .combo: (1.07, 0.82), .locallyConnected: (0.96, 0.84), .lift: (0.82, 0.68), .relaxedGroup: (0.82, 0.73),
                    .relaxedSteerable: (0.80, 0.67)],
        .scaling: [.mlp: (2.40, 1.81), .conv: (0.83, 0.95), .equivariant: (0.75, 0.87), .residualPathway: (0.81, 0.86),
                   .combo: (0.78, 0.85), .locallyConnected: (1.03, 0.83), .lift: (0.85, 0.77), .relaxedGroup: (0.76, 0.86),
                   .relaxedSteerable: (0.70, 0.73)],
    ]

    public let settings: ApproximateEquivarianceSettings
    public let budgets: [Budget]

    public init(settings: ApproximateEquivarianceSettings, budgets: [Budget]) {
        (self.settings, self.budgets) = (settings, budgets)
    }

    /// The output path without extension (`settings.output` with any ".md" dropped, or the default).
    public var outputStem: String {
        settings.output.isEmpty ? "Docs/results/approximate-equivariance-budget-\(settings.symmetry.rawValue)"
            : (settings.output.hasSuffix(".md") ? String(settings.output.dropLast(3)) : settings.output)
    }

    /// The table experiment of budget `index` (0-based).
    public func experiment(_ index: Int) -> SmokePlumeExperiment {
        var step = settings
        let budget = budgets[index]
        (step.trainWindows, step.modelSettings.hidden, step.training.epochs) = (budget.trainWindows, budget.hidden, budget.epochs)
        step.checkpoints = URL(fileURLWithPath: settings.checkpoints).appendingPathComponent("budget-\(index + 1)").path
        step.output = "\(outputStem)-budget-\(index + 1).md"
        return SmokePlumeExperiment(settings: step)
    }

    /// The checkpoint of every model `run` trains, in the order it trains them.
    public var checkpoints: [URL] { budgets.indices.flatMap { experiment($0).checkpoints } }

    /// Whether `rmse` (by model; models absent are skipped) follows `paperOrder`: each present model's value
    /// at most the next present one's for RSteer and RGroup, strictly below it otherwise. Also the order as text
    /// ("RSteer < Equiv < Conv", "<" or ">=" between neighbours).
    public static func ordering(_ rmse: [TableModel: Double]) -> (holds: Bool, text: String) {
        let present = paperOrder.filter { rmse[$0] != nil }
        var holds = true, text = present.first?.rawValue ?? ""
        for (better, worse) in zip(present, present.dropFirst()) {
            let (a, b) = (rmse[better]!, rmse[worse]!)
            let ok = better == .relaxedSteerable && worse == .relaxedGroup ? a <= b : a < b
            holds = holds && ok
            text += (ok ? " < " : " >= ") + worse.rawValue
        }
        return (holds, text)
    }

    /// Runs every budget in order (each a `SmokePlumeExperiment`, resumable as it is), then writes the summary
    /// and the plots. Returns each budget's rows; nil when `shouldStop` stopped training (checkpoints saved).
    @discardableResult
    public func run(resume: Bool = false, shouldStop: @escaping () -> Bool = { false }) throws -> [[SmokePlumeExperiment.Row]]? {
        if !resume { try ExistingCheckpointError.refuse(checkpoints) }
        var results: [[SmokePlumeExperiment.Row]] = []
        for index in budgets.indices {
            Console.line("budget \(index + 1) of \(budgets.count): \(budgets[index]) (windows x hidden x epochs)")
            guard let rows = try experiment(index).run(resume: resume, shouldStop: shouldStop) else { return nil }
            results.append(rows)
        }
        try write(results)
        return results
    }

    /// The summary table (markdown) of `results`, one entry per budget, rows in `settings.models` order.
    public func summary(_ results: [[SmokePlumeExperiment.Row]]) -> String {
        let models = settings.models
        var lines = ["# Approximately equivariant networks: Table 1 (\(settings.symmetry.rawValue)) against the training budget", "",
                     "Each budget is `train windows x hidden x epochs`; everything else as in each budget's table "
                         + "(`\(URL(fileURLWithPath: outputStem).lastPathComponent)-budget-<k>.md`). RMSE over 20 autoregressive steps, "
                         + "mean ± std over seeds \(settings.seeds.map(String.init).joined(separator: ",")). "
                         + "The paper's ordering: RSteer ≤ RGroup < Equiv < Conv (among the models run).", "",
                     "| budget | model | parameters | Future RMSE | Domain RMSE | paper: Future / Domain | seconds per run |",
                     "|---|---|---|---|---|---|---|"]
        let paper = Self.paperRMSE[settings.symmetry] ?? [:]
        for (index, rows) in results.enumerated() {
            for (model, row) in zip(models, rows) {
                let published = paper[model].map { String(format: "%.2f / %.2f", $0.future, $0.domain) } ?? "-"
                lines.append("| \(index + 1): \(budgets[index]) | \(row.model) | \(row.parameters) | \(meanAndDeviation(row.outcomes.map(\.future))) | "
                             + "\(meanAndDeviation(row.outcomes.map(\.domain))) | \(published) | "
                             + String(format: "%.1f", Self.mean(row.outcomes, \.seconds)) + " |")
            }
        }
        lines += ["", "| budget | Future: ordering of the means | Future: seeds it holds for | Domain: ordering of the means | Domain: seeds it holds for |",
                  "|---|---|---|---|---|"]
        for (index, rows) in results.enumerated() {
            let byModel = Dictionary(uniqueKeysWithValues: zip(models, rows))
            func cells(_ value: (TableOutcome) -> Double) -> String {
                let means = byModel.mapValues { Self.mean($0.outcomes, value) }
                let mean = Self.ordering(means)
                let seeds = settings.seeds.indices.filter { seed in Self.ordering(byModel.mapValues { value($0.outcomes[seed]) }).holds }.count
                return "\(mean.text) (\(mean.holds ? "holds" : "does not hold")) | \(seeds) of \(settings.seeds.count)"
            }
            lines.append("| \(index + 1): \(budgets[index]) | \(cells(\.future)) | \(cells(\.domain)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The mean of `value` over a model's per-seed outcomes.
    private static func mean(_ outcomes: [TableOutcome], _ value: (TableOutcome) -> Double) -> Double {
        Evaluate.meanAndDeviation(outcomes.map(value)).mean
    }

    /// Writes `<output>.md` (the summary, the plots' captions) and the two plots.
    func write(_ results: [[SmokePlumeExperiment.Row]]) throws {
        let names = results.first?.map(\.model) ?? []
        func plot(_ value: (TableOutcome) -> Double) -> LinePlot {
            let series = names.indices.map { model in
                LinePlot.Series(points: results.indices.map { budget in
                    (x: Double(budget + 1), y: Self.mean(results[budget][model].outcomes, value))
                }, colour: LinePlot.palette[model % LinePlot.palette.count], marker: LinePlot.Marker.allCases[model % LinePlot.Marker.allCases.count])
            }
            return LinePlot(series: series, xRange: 0.5...(Double(results.count) + 0.5))
        }
        let stem = outputStem
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: stem).deletingLastPathComponent(), withIntermediateDirectories: true)
        try plot(\.future).image.writePNG(to: URL(fileURLWithPath: stem + "-future.png"))
        try plot(\.domain).image.writePNG(to: URL(fileURLWithPath: stem + "-domain.png"))
        let file = URL(fileURLWithPath: stem).lastPathComponent
        let text = summary(results) + "\n![Future RMSE against the budget](\(file)-future.png) ![Domain RMSE against the budget](\(file)-domain.png)\n\n"
            + "x: budget 1...\(results.count), y: mean RMSE from 0. " + PaperExperimentReport.legend(names) + ".\n"
        Console.line(text)
        try text.write(toFile: stem + ".md", atomically: true, encoding: .utf8)
        Console.line("wrote \(stem).md, -future.png and -domain.png")
    }
}
