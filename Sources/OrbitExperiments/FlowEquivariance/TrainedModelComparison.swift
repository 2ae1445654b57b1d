import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitImages
import OrbitModels
import OrbitNN

/// The shipped models of `Sources/OrbitModels/Trained` (the campaign's best G-RNN and FERNN checkpoints, each
/// with a manifest and a SHA-256 that loading verifies) rolled out far past their training length on fixed
/// test sequences of the data each was trained on: the figures `make run` shows from trained models.
///
/// Models are grouped by their data (digits, data velocity range, input frames; in each group the G-RNN first,
/// then the FERNNs by |V|); each group gets one test set of `sequences` sequences of MNIST test digits, seed
/// `seed` (the same sequences on every machine), `inputFrames + steps` frames long. For each group it writes, into `output`:
/// - `trained-<d>digit-v<R>.md`: test MSE over the trained length and the MSE at steps 10, 20, 30, ..., then the
///   predictions' total intensity over the truth's at the same steps (a closed loop's gain: 1 keeps the brightness);
/// - `trained-<d>digit-v<R>-mse.png`: log10 of the MSE against the step, one line per model
///   (`LinePlot.palette` order: the models in the table's order);
/// - `trained-<d>digit-v<R>-strip.png`: truth, then each model, every `every`-th predicted frame.
public struct TrainedModelComparison {
    /// One model's figures on its group's test set.
    public struct Row: Sendable {
        public var manifest: TrainedModelManifest
        public var parameters: Int
        /// MSE of each predicted step, 1...steps.
        public var curve: [Double]
        /// Σ prediction / Σ truth of each predicted step, 1...steps (`Evaluate.StepStatistics.intensityRatio`).
        public var intensityRatio: [Double]
        /// Mean MSE over the first `predictedFrames` steps (the trained length).
        public var testMSE: Double {
            let trained = curve.prefix(manifest.predictedFrames)
            return trained.reduce(0, +) / Double(trained.count)
        }
    }

    public var steps = 70
    public var sequences = 100
    public var seed: UInt64 = 7_001
    public var every = 5

    public init() {}

    /// Loads every manifest's model from `directory` (verifying its checksum), evaluates and writes the
    /// files above; returns the rows, grouped in manifest order. No manifests: no rows, nothing written.
    @discardableResult
    public func run(directory: URL, testDigits: DigitPool, output: URL) throws -> [[Row]] {
        let manifests = try TrainedModels.manifests(in: directory)
            .sorted { ($0.modelVelocityRange, $0.name) < ($1.modelVelocityRange, $1.name) }   // the G-RNN first
        var groups: [[TrainedModelManifest]] = []
        for manifest in manifests {
            if let index = groups.firstIndex(where: { sameData($0[0], manifest) }) { groups[index].append(manifest) }
            else { groups.append([manifest]) }
        }
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        return try groups.map { try evaluate($0, directory: directory, testDigits: testDigits, output: output) }
    }

    private func sameData(_ a: TrainedModelManifest, _ b: TrainedModelManifest) -> Bool {
        (a.digits, a.dataVelocityRange, a.inputFrames) == (b.digits, b.dataVelocityRange, b.inputFrames)
    }

    private func evaluate(_ manifests: [TrainedModelManifest], directory: URL, testDigits: DigitPool, output: URL) throws -> [Row] {
        let first = manifests[0]
        let test = SequenceSource(TranslatingMNIST(digits: testDigits, count: sequences, seed: seed,
                                                   configuration: .init(frameCount: first.inputFrames + steps, digitCount: first.digits,
                                                                        velocityRange: first.dataVelocityRange)))
        var rows: [Row] = []
        var models: [FlowPredictor<FlowEquivariantRNNCell>] = []
        for manifest in manifests {
            let model = try TrainedModels.load(manifest, from: directory)
            let statistics = FlowEvaluation.statisticsPerStep(model, on: test, inputFrames: manifest.inputFrames, steps: steps)
            rows.append(Row(manifest: manifest, parameters: model.parameterCount, curve: statistics.meanSquaredError,
                            intensityRatio: statistics.intensityRatio))
            models.append(model)
        }
        let stem = "trained-\(first.digits)digit-v\(first.dataVelocityRange)"
        let table = self.table(rows, title: "\(first.digits)-digit Translating MNIST, data velocities {-\(first.dataVelocityRange)..\(first.dataVelocityRange)}², "
                               + "\(sequences) test sequences (seed \(seed))")
        Console.line("\n" + table)
        try Data((table + "\n").utf8).write(to: output.appendingPathComponent("\(stem).md"), options: .atomic)
        try curvePlot(rows).image.writePNG(to: output.appendingPathComponent("\(stem)-mse.png"))
        let frames = test.prefix(1)
        let inputs = frames.slice(axis: 1, 0..<first.inputFrames)
        let strip = FlowEvaluation.strip(truth: frames.slice(axis: 0, index: 0),
                                         predictions: models.map { $0(inputs, predicting: steps).slice(axis: 0, index: 0) },
                                         inputFrames: first.inputFrames, every: every)
        try strip.writePNG(to: output.appendingPathComponent("\(stem)-strip.png"))
        Console.line("wrote \(output.path)/\(stem).md, \(stem)-mse.png and \(stem)-strip.png (rows: truth, "
                     + manifests.map(\.name).joined(separator: ", ") + "; every \(every) steps to step \(steps))")
        return rows
    }

    /// The Markdown tables: one row per model, the MSE at every 10th step; then the intensity ratio at the same steps.
    public func table(_ rows: [Row], title: String) -> String {
        let marks = Array(stride(from: 10, through: steps, by: 10))
        var lines = ["### \(title)", "",
                     "| model | architecture | parameters | training hours | test MSE (trained length) | "
                     + marks.map { "step \($0)" }.joined(separator: " | ") + " |",
                     "|---|---|---|---|---|" + String(repeating: "---|", count: marks.count)]
        for row in rows {
            lines.append("| \(row.manifest.name) | \(row.manifest.architecture) | \(row.parameters) | "
                         + String(format: "%.2f", row.manifest.trainingHours) + " | " + String(format: "%.3e", row.testMSE) + " | "
                         + marks.map { String(format: "%.3e", row.curve[$0 - 1]) }.joined(separator: " | ") + " |")
        }
        lines += ["", "Predicted over true total intensity (1: the brightness is kept):", "",
                  "| model | " + marks.map { "step \($0)" }.joined(separator: " | ") + " |",
                  "|---|" + String(repeating: "---|", count: marks.count)]
        for row in rows {
            lines.append("| \(row.manifest.name) | " + marks.map { String(format: "%.3f", row.intensityRatio[$0 - 1]) }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// log10 MSE against the step, one line per row (`PaperExperimentReport.logarithmicPlot`).
    func curvePlot(_ rows: [Row]) -> LinePlot {
        PaperExperimentReport.logarithmicPlot(rows.map { $0.curve.enumerated().map { (x: Double($0.offset + 1), y: $0.element) } },
                                              xRange: 0...Double(steps))
    }
}
