import Foundation
import OrbitCommandLine
import OrbitDatasets
import OrbitImages
import OrbitTraining

/// What one trained model measured, for one seed.
public struct PaperExperimentResult {
    public var parameters: Int
    /// |V|, the velocities of the lifted state (1 for the G-RNN).
    public var velocityCount: Int
    /// MSE over the trained prediction length on the test set.
    public var testMSE = Double.nan
    /// MSE of each future step, up to lengthFactor × the trained length (long test set).
    public var lengthCurve: [Double] = []
    /// MSE on each fixed-velocity test set, row-major over {-G..G}² (empty when not measured).
    public var velocityGrid: [Double] = []
    /// The training MSE of each epoch.
    public var trainingLosses: [Double] = []
    /// The best validation MSE over the epochs (the epoch whose weights were kept).
    public var bestValidation = Double.nan
    /// Wall-clock seconds of training, summed over the epochs' records across every session that trained the
    /// model (an epoch interrupted and resumed counts only its last part), and of evaluation in this process.
    public var trainingSeconds = 0.0
    public var evaluationSeconds = 0.0

    /// A result with its model's size; the measurements are filled in as they are made.
    public init(parameters: Int, velocityCount: Int) {
        (self.parameters, self.velocityCount) = (parameters, velocityCount)
    }
}

/// The results of a `PaperExperiment` (`orbit-flows --experiment`), written to `settings.outputURL`:
/// - results.md: the test-MSE table (mean ± sample std over seeds), the MSE per future step (mean over
///   seeds; the trained length is marked), and for Translating MNIST the velocity-generalisation grids;
/// - results.json: every number per model and seed, with the settings;
/// - velocity-grid-<model>.png: the grid of MSE (mean over seeds) as a heat map, rows v.y = -G..G (top
///   to bottom), columns v.x = -G..G, one logarithmic colour scale shared by all models.
public final class PaperExperimentReport {
    public let experiment: PaperExperimentSettings
    public let settings: FlowSettings
    /// The results so far, by model name and seed.
    public private(set) var results: [String: [UInt64: PaperExperimentResult]] = [:]

    /// An empty report of `experiment` run with `settings`.
    public init(experiment: PaperExperimentSettings, settings: FlowSettings) {
        (self.experiment, self.settings) = (experiment, settings)
    }

    /// Records what `model` measured for `seed` (replacing an earlier result).
    public func add(_ result: PaperExperimentResult, model: String, seed: UInt64) { results[model, default: [:]][seed] = result }

    private var modelNames: [String] { experiment.models.map(\.description).filter { results[$0] != nil } }

    private func perSeed<Value>(_ model: String, _ value: (PaperExperimentResult) -> Value) -> [Value] {
        experiment.seeds.compactMap { results[model]?[$0] }.map(value)
    }

    /// Element-wise mean over seeds of equal-length arrays.
    private func meanOverSeeds(_ model: String, _ values: (PaperExperimentResult) -> [Double]) -> [Double] {
        let arrays = perSeed(model, values)
        guard let first = arrays.first else { return [] }
        return first.indices.map { index in arrays.map { $0[index] }.reduce(0, +) / Double(arrays.count) }
    }

    /// The markdown of results.md.
    public func markdown() -> String {
        let seeds = experiment.seeds.map(String.init).joined(separator: ", ")
        var lines = ["## \(experiment.kind.rawValue): test MSE over \(settings.predictedFrames) predicted frames (seeds \(seeds))", "",
                     "| model | \\|V\\| | parameters | test MSE (mean ± std) | per seed | training hours per seed | evaluation s per seed |",
                     "|---|---|---|---|---|---|---|"]
        for name in modelNames {
            let first = perSeed(name, { $0 })[0]
            lines.append("| \(name) | \(first.velocityCount) | \(first.parameters) | \(Evaluate.formatted(perSeed(name, \.testMSE))) | "
                         + perSeed(name, { String(format: "%.3e", $0.testMSE) }).joined(separator: ", ") + " | "
                         + perSeed(name, { String(format: "%.2f", $0.trainingSeconds / 3600) }).joined(separator: ", ") + " | "
                         + perSeed(name, { String(format: "%.0f", $0.evaluationSeconds) }).joined(separator: ", ") + " |")
        }
        let steps = settings.lengthFactor * settings.predictedFrames
        let shown = curveSteps
        lines += ["", "## MSE per future step (mean over seeds); trained on steps 1-\(settings.predictedFrames), tested to \(steps)"
                    + (shown.count < steps ? " (every 5th step past the trained length; all in results.json and length-generalisation.png)" : ""), "",
                  "| model | " + shown.map { $0 == settings.predictedFrames ? "**\($0)**" : "\($0)" }.joined(separator: " | ") + " |",
                  "|---|" + String(repeating: "---|", count: shown.count)]
        for name in modelNames {
            let curve = meanOverSeeds(name, \.lengthCurve)
            lines.append("| \(name) | " + shown.map { String(format: "%.2e", curve[$0 - 1]) }.joined(separator: " | ") + " |")
        }
        if experiment.kind == .translating, experiment.gridRange > 0 { lines += velocityGridMarkdown() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The steps the per-step table shows: every step of the trained length, then every 5th.
    private var curveSteps: [Int] {
        (1...(settings.lengthFactor * settings.predictedFrames)).filter { $0 <= settings.predictedFrames || $0 % 5 == 0 }
    }

    /// length-generalisation.png: log10 of the mean-over-seeds MSE against the future step, one line per model
    /// in the table's order (`LinePlot.palette`).
    func lengthPlot() -> LinePlot {
        let curves = modelNames.map { meanOverSeeds($0, \.lengthCurve).map { log10(max($0, 1e-12)) } }
        let series = curves.enumerated().map { index, curve in
            LinePlot.Series(points: curve.enumerated().map { (x: Double($0.offset + 1), y: $0.element) },
                            colour: LinePlot.palette[index % LinePlot.palette.count],
                            marker: LinePlot.Marker.allCases[index % LinePlot.Marker.allCases.count])
        }
        let values = curves.joined()
        let (low, high) = ((values.min() ?? -4).rounded(.down), (values.max() ?? 0).rounded(.up))
        return LinePlot(series: series, xRange: 0...Double(settings.lengthFactor * settings.predictedFrames), yRange: low...max(high, low + 1))
    }

    private func velocityGridMarkdown() -> [String] {
        let range = experiment.gridRange
        let side = 2 * range + 1
        var lines = ["", "## Velocity generalisation: MSE per fixed velocity (\(experiment.gridSequences) sequences each, mean over seeds)",
                     "", "Trained on velocities {-\(settings.dataVelocityRange)..\(settings.dataVelocityRange)}² (marked *); "
                        + "rows v.y, columns v.x (pixels per frame)."]
        for name in modelNames {
            let grid = meanOverSeeds(name, \.velocityGrid)
            let inside = PixelVector.grid(range: range).enumerated().filter { isTrained($0.element) }.map { grid[$0.offset] }
            let outside = PixelVector.grid(range: range).enumerated().filter { !isTrained($0.element) }.map { grid[$0.offset] }
            lines += ["", "**\(name)**: mean " + String(format: "%.3e", mean(inside)) + " on the training velocities, "
                        + (outside.isEmpty ? "" : String(format: "%.3e", mean(outside)) + " outside them, ")
                        + String(format: "max %.3e", grid.max() ?? .nan) + " (velocity-grid-\(name).png)", "",
                      "| v.y \\ v.x | " + (-range...range).map(String.init).joined(separator: " | ") + " |",
                      "|---|" + String(repeating: "---:|", count: side)]
            for (row, y) in (-range...range).enumerated() {
                let cells = (0..<side).map { column -> String in
                    let velocity = PixelVector(y: y, x: column - range)
                    return String(format: "%.2e", grid[row * side + column]) + (isTrained(velocity) ? "*" : "")
                }
                lines.append("| \(y) | " + cells.joined(separator: " | ") + " |")
            }
        }
        if let (low, high) = gridScale {
            lines += ["", String(format: "Heat maps: one logarithmic scale for all models, %.2e (dark purple) to %.2e (yellow).", low, high)]
        }
        return lines
    }

    private func isTrained(_ velocity: PixelVector) -> Bool {
        abs(velocity.x) <= settings.dataVelocityRange && abs(velocity.y) <= settings.dataVelocityRange
    }

    private func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }

    /// The smallest and largest positive grid MSE over all models (the heat maps' shared scale).
    private var gridScale: (Double, Double)? {
        let values = modelNames.flatMap { meanOverSeeds($0, \.velocityGrid) }.filter { $0 > 0 && $0.isFinite }
        guard let low = values.min(), let high = values.max() else { return nil }
        return (low, high)
    }

    /// Prints results.md and writes it, results.json and the heat maps to `settings.outputURL`.
    public func write() throws {
        let text = markdown()
        Console.line("\n" + text)
        let directory = settings.outputURL
        try Data(text.utf8).write(to: directory.appendingPathComponent("results.md"), options: .atomic)
        var json: [String: Any] = ["options": settings.encoded(), "experiment": experiment.kind.rawValue,
                                   "seeds": experiment.seeds.map { Int($0) }]
        for name in modelNames {
            json[name] = Dictionary(uniqueKeysWithValues: experiment.seeds.compactMap { seed in
                results[name]?[seed].map { result -> (String, Any) in
                    ("seed-\(seed)", ["test_mse": result.testMSE, "length_generalisation_mse": result.lengthCurve,
                                      "velocity_grid_mse": result.velocityGrid, "training_mse": result.trainingLosses,
                                      "parameters": result.parameters, "velocity_count": result.velocityCount,
                                      "best_validation_mse": result.bestValidation,
                                      "training_seconds": result.trainingSeconds, "evaluation_seconds": result.evaluationSeconds] as [String: Any])
                }
            })
        }
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            .write(to: directory.appendingPathComponent("results.json"), options: .atomic)
        if !modelNames.isEmpty { try lengthPlot().image.writePNG(to: directory.appendingPathComponent("length-generalisation.png")) }
        guard experiment.kind == .translating, experiment.gridRange > 0, let (low, high) = gridScale else { return }
        let side = 2 * experiment.gridRange + 1
        for name in modelNames {
            let grid = meanOverSeeds(name, \.velocityGrid)
            let map = HeatMap(values: (0..<side).map { Array(grid[($0 * side)..<(($0 + 1) * side)]) }, cellSize: 32,
                              scale: .logarithmic, range: low...high)
            try map.image.writePNG(to: directory.appendingPathComponent("velocity-grid-\(name).png"))
        }
        Console.line("wrote \(directory.path)/results.md, results.json, length-generalisation.png" + (modelNames.isEmpty ? "" : ", velocity-grid-*.png"))
    }
}
