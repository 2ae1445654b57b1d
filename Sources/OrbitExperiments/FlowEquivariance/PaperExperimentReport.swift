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
    /// Σ prediction / Σ truth of each future step on the same long test set (1: the brightness is kept).
    public var intensityCurve: [Double] = []
    /// MSE on each fixed-velocity test set (`PaperExperiment.gridVelocities`: row-major over {-G..G}², or the
    /// between-generators x-velocities; empty when not measured).
    public var velocityGrid: [Double] = []
    /// imperfect: `learnedFlowEquivarianceError` of the trained cell on the first test sequences; nil when
    /// not measured or not defined (|V| = 1, the G-RNN).
    public var learnedEquivarianceError: Double?
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
/// - results.md: the test-MSE table (mean ± sample std over seeds; for imperfect also the learned
///   flow-equivariance error), the MSE per future step (mean over seeds; the trained length is marked), the
///   predicted over true total intensity at every 10th step,
///   for Translating MNIST the velocity-generalisation grids (with each model's mean MSE on the unseen velocities
///   over that on the seen ones, for the mean grid and per seed), for between-generators the MSE per data
///   velocity and its average over the velocities;
/// - results.json: every number per model and seed, with the settings;
/// - length-generalisation.png: log10 MSE against the future step, one line per model;
/// - translating: velocity-grid-<model>.png, the grid of MSE (mean over seeds) as a heat map, rows
///   v.y = -G..G (top to bottom), columns v.x = -G..G, one logarithmic colour scale shared by all models;
/// - between-generators: mse-per-velocity.png, log10 MSE (mean over seeds) against the data velocity,
///   one line per model.
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

    /// The models with results, in the experiment's order.
    var modelNames: [String] { experiment.models.map(\.description).filter { results[$0] != nil } }

    /// `value` of each seed's result of `model`, in the experiment's seed order.
    func perSeed<Value>(_ model: String, _ value: (PaperExperimentResult) -> Value) -> [Value] {
        experiment.seeds.compactMap { results[model]?[$0] }.map(value)
    }

    /// Element-wise mean over seeds of equal-length arrays.
    func meanOverSeeds(_ model: String, _ values: (PaperExperimentResult) -> [Double]) -> [Double] {
        let arrays = perSeed(model, values)
        guard let first = arrays.first else { return [] }
        return first.indices.map { index in arrays.map { $0[index] }.reduce(0, +) / Double(arrays.count) }
    }

    /// The title of the experiment's data in results.md.
    private var title: String {
        switch experiment.kind {
        case .imperfect: "imperfect (\(experiment.breaking))"
        default: experiment.kind.rawValue
        }
    }

    /// The markdown of results.md.
    public func markdown() -> String {
        let seeds = experiment.seeds.map(String.init).joined(separator: ", ")
        let measuresEquivariance = experiment.kind == .imperfect
        var lines = ["## \(title): test MSE over \(settings.predictedFrames) predicted frames (seeds \(seeds))", "",
                     "| model | \\|V\\| | parameters | test MSE (mean ± std) | per seed | "
                        + (measuresEquivariance ? "learned flow-equivariance error (mean ± std) | " : "")
                        + "training hours per seed | evaluation s per seed |",
                     "|---|---|---|---|---|" + (measuresEquivariance ? "---|" : "") + "---|---|"]
        for name in modelNames {
            let first = perSeed(name, { $0 })[0]
            let errors = perSeed(name, \.learnedEquivarianceError).compactMap { $0 }
            lines.append("| \(name) | \(first.velocityCount) | \(first.parameters) | \(Evaluate.formatted(perSeed(name, \.testMSE))) | "
                         + perSeed(name, { String(format: "%.3e", $0.testMSE) }).joined(separator: ", ") + " | "
                         + (measuresEquivariance ? (errors.isEmpty ? "n/a" : Evaluate.formatted(errors)) + " | " : "")
                         + perSeed(name, { String(format: "%.2f", $0.trainingSeconds / 3600) }).joined(separator: ", ") + " | "
                         + perSeed(name, { String(format: "%.0f", $0.evaluationSeconds) }).joined(separator: ", ") + " |")
        }
        if measuresEquivariance {
            lines += ["", "Learned flow-equivariance error: `learnedFlowEquivarianceError` of the trained cell on the first "
                        + "\(experiment.equivarianceSequences) test sequences, every nonzero μ ∈ V (n/a: |V| = 1, the G-RNN)."]
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
        let tens = Array(stride(from: 10, through: steps, by: 10))
        if !tens.isEmpty, modelNames.allSatisfy({ perSeed($0, \.intensityCurve).allSatisfy { $0.count == steps } }) {
            lines += ["", "## Predicted over true total intensity per future step (mean over seeds; 1: the brightness is kept)", "",
                      "| model | " + tens.map { "\($0)" }.joined(separator: " | ") + " |", "|---|" + String(repeating: "---|", count: tens.count)]
            for name in modelNames {
                let curve = meanOverSeeds(name, \.intensityCurve)
                lines.append("| \(name) | " + tens.map { String(format: "%.3f", curve[$0 - 1]) }.joined(separator: " | ") + " |")
            }
        }
        if experiment.kind == .translating, experiment.gridRange > 0 { lines += velocityGridMarkdown() }
        if experiment.kind == .betweenGenerators { lines += velocityListMarkdown() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The steps the per-step table shows: every step of the trained length, then every 5th.
    private var curveSteps: [Int] {
        (1...(settings.lengthFactor * settings.predictedFrames)).filter { $0 <= settings.predictedFrames || $0 % 5 == 0 }
    }

    /// length-generalisation.png: log10 of the mean-over-seeds MSE against the future step, one line per model
    /// in the table's order (`LinePlot.palette`).
    func lengthPlot() -> LinePlot {
        Self.logarithmicPlot(modelNames.map { name in
            meanOverSeeds(name, \.lengthCurve).enumerated().map { (x: Double($0.offset + 1), y: $0.element) }
        }, xRange: 0...Double(settings.lengthFactor * settings.predictedFrames))
    }

    /// A plot of log10 y (floored at 1e-12) of each series, series i in `LinePlot.palette[i mod 5]` with marker
    /// `Marker.allCases[i mod 4]`, the y axis from the decade below the smallest value to the one above the largest.
    static func logarithmicPlot(_ curves: [[(x: Double, y: Double)]], xRange: ClosedRange<Double>) -> LinePlot {
        let logarithmic = curves.map { $0.map { (x: $0.x, y: log10(max($0.y, 1e-12))) } }
        let series = logarithmic.enumerated().map { index, points in
            LinePlot.Series(points: points, colour: LinePlot.palette[index % LinePlot.palette.count],
                            marker: LinePlot.Marker.allCases[index % LinePlot.Marker.allCases.count])
        }
        let values = logarithmic.joined().map(\.y)
        let (low, high) = ((values.min() ?? -4).rounded(.down), (values.max() ?? 0).rounded(.up))
        return LinePlot(series: series, xRange: xRange, yRange: low...max(high, low + 1))
    }

    /// Which colour and marker `logarithmicPlot` gives each of `names`, for a caption: "grnn: orange squares, ...".
    static func legend(_ names: [String]) -> String {
        let colours = ["orange", "sky-blue", "bluish-green", "vermillion", "blue"], markers = ["squares", "circles", "triangles", "diamonds"]
        return names.enumerated().map { "\($1): \(colours[$0 % colours.count]) \(markers[$0 % markers.count])" }.joined(separator: ", ")
    }

    /// Prints results.md and writes it, results.json and the plots to `settings.outputURL`.
    public func write() throws {
        let text = markdown()
        Console.line("\n" + text)
        let directory = settings.outputURL
        try Data(text.utf8).write(to: directory.appendingPathComponent("results.md"), options: .atomic)
        var json: [String: Any] = ["options": settings.encoded(), "experiment": experiment.kind.rawValue,
                                   "seeds": experiment.seeds.map { Int($0) }]
        switch experiment.kind {
        case .betweenGenerators: json["x_velocities"] = experiment.xVelocities
        case .imperfect: (json["breaking"], json["level"]) = (experiment.breaking.kind.rawValue, experiment.breaking.level)
        case .translating, .bouncing, .rotating: break
        }
        for name in modelNames {
            json[name] = Dictionary(uniqueKeysWithValues: experiment.seeds.compactMap { seed in
                results[name]?[seed].map { result -> (String, Any) in
                    var fields: [String: Any] = [
                        "test_mse": result.testMSE, "length_generalisation_mse": result.lengthCurve,
                        "length_generalisation_intensity_ratio": result.intensityCurve,
                        "velocity_grid_mse": result.velocityGrid, "training_mse": result.trainingLosses,
                        "parameters": result.parameters, "velocity_count": result.velocityCount,
                        "best_validation_mse": result.bestValidation,
                        "training_seconds": result.trainingSeconds, "evaluation_seconds": result.evaluationSeconds]
                    fields["learned_flow_equivariance_error"] = result.learnedEquivarianceError
                    return ("seed-\(seed)", fields)
                }
            })
        }
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            .write(to: directory.appendingPathComponent("results.json"), options: .atomic)
        guard !modelNames.isEmpty else { return }
        try lengthPlot().image.writePNG(to: directory.appendingPathComponent("length-generalisation.png"))
        let pictures = try writeVelocityPictures()
        Console.line("wrote \(directory.path)/results.md, results.json, length-generalisation.png" + pictures.map { ", " + $0 }.joined())
    }
}
