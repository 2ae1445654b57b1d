import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitImages
import OrbitModels
import OrbitNN
import OrbitTraining

/// Section 5.2 of Wang, Walters and Yu (ICML 2022): do the models learn the data's amount of C4 symmetry?
/// For each level l of `EquivarianceLevelData` (four plumes, simulation 1 and simulations 1 + l, 1 + 2l,
/// 1 + 3l turned by 90, 180, 270 degrees), Conv, the steerable model and RSteer are trained on one-frame
/// windows, and two numbers are compared (Docs/References.md §A6, §A7, the reference's run_equiv_test.py):
///
///     data error  = mean over frames 10..<T-1 of (|d1 - d2| + |d1 - d3| + |d1 - d4|) / 3   (unrotated runs)
///     model error = mean over g in {90°, 180°, 270°} and over validation inputs x of mean |f(g·x) - g·f(x)|
///
/// f is the one-step predictor [N, 2, H, W] -> [N, 2, H, W]; g acts on the grid and on the vectors (irrep(1)).
/// Each model's training files go to `settings.checkpoints/levels/level-<l>/seed-<s>/<model>/`, so a stopped run resumes.
public struct EquivarianceLevelExperiment {
    /// The training windows of run_equiv_test.py: one input frame, six target frames, train starts 0..<30,
    /// validation starts 30..<40 of each of the four sequences (offset 2, as everywhere in the reference).
    public static let plan = (inputLength: 1, targetLength: 6, train: 0..<30, validation: 30..<40)

    /// `sequence` averaged over `factor x factor` blocks of cells ([T, C, H, W] -> [T, C, H/factor, W/factor]).
    /// On a square grid whose size is a multiple of `factor` it commutes with quarter turns up to the order in
    /// which four values are summed; the experiment pools the unrotated simulations and rotates afterwards,
    /// so level 0 stays exactly symmetric.
    public static func averagePooled(_ sequence: FieldSequence, by factor: Int) -> FieldSequence {
        guard factor > 1 else { return sequence }
        requireArgument(sequence.height % factor == 0 && sequence.width % factor == 0, "averagePooled",
                        "\(sequence.height) x \(sequence.width) is not a multiple of \(factor)")
        let (height, width) = (sequence.height / factor, sequence.width / factor)
        var values = [Float](repeating: 0, count: sequence.count * sequence.channels * height * width)
        let weight = 1 / Float(factor * factor)
        for plane in 0..<(sequence.count * sequence.channels) {
            for y in 0..<height {
                for x in 0..<width {
                    var sum: Float = 0
                    for dy in 0..<factor {
                        for dx in 0..<factor { sum += sequence.frames[(plane * sequence.height + y * factor + dy) * sequence.width + x * factor + dx] }
                    }
                    values[(plane * height + y) * width + x] = sum * weight
                }
            }
        }
        return FieldSequence(frames: values, count: sequence.count, channels: sequence.channels, height: height, width: width)
    }

    /// The notebook's data error (above) of four sequences given before rotation: `simulations[k]` for k = 0..<4.
    public static func dataEquivarianceError(_ simulations: [FieldSequence]) -> Double {
        let frames = min(10, simulations[0].count - 1)..<(simulations[0].count - 1)
        let reference = simulations[0].frames(frames)
        return (1..<4).map { simulations[$0].frames(frames).meanAbsoluteDifference(to: reference) }.reduce(0, +) / 3
    }

    /// The model error (above), over `windows` (inputs flipped into the model's frame as in training).
    public static func modelEquivarianceError(_ model: any Layer, _ windows: FluidWindows, batchSize: Int) -> Double {
        let c4 = CyclicGroup(order: 4)
        let velocity = FieldType(group: c4, c4.irreducibleRepresentation(frequency: 1), count: 1)
        var sum = 0.0, count = 0
        for first in stride(from: 0, to: windows.count, by: batchSize) {
            let inputs = FluidTraining.batch(windows[first..<min(first + batchSize, windows.count)], from: windows).inputs
            let output = model(inputs)
            for element in 1..<4 {
                let difference = (model(velocity.transform(inputs, by: element)) - velocity.transform(output, by: element)).doubles
                sum += difference.reduce(0) { $0 + abs($1) }
                count += difference.count
            }
        }
        return sum / Double(max(count, 1))
    }

    /// One model at one level and seed: its equivariance error, validation RMSE (6 steps) and training time.
    public struct Outcome: Sendable {
        /// The model error (above) on the validation windows.
        public let modelError: Double
        /// Validation RMSE of 6-step rollouts, the best epoch (1-based), and the wall-clock seconds of training (every
        /// epoch's, also those of an earlier, interrupted run) and measuring.
        public let validationRMSE: Double
        public let bestEpoch: Int
        public let seconds: Double
    }

    /// One level's row: the data error of the pooled simulations and the notebook's (64 x 64), and each model's outcomes per seed.
    public struct Row: Sendable {
        public let level: Int
        public let dataError: Double
        public let notebookError: Double
        public let outcomes: [String: [Outcome]]
    }

    public let settings: ApproximateEquivarianceSettings

    public init(settings: ApproximateEquivarianceSettings) { self.settings = settings }

    /// The models the experiment can train, in order: Conv, the steerable model and RSteer (`contenders(for: .rotation, ...)`).
    public static let models = TableModel.defaults(for: .rotation)

    /// The models trained at every level: those of `settings.models` among `models`, in `models`' order (each
    /// one's weights do not depend on which others are trained).
    public var trainedModels: [TableModel] { Self.models.filter(settings.models.contains) }

    /// The folder of `model`'s files at `level` and `seed`: `<checkpoints>/levels/level-<level>/seed-<seed>/<model>` (conv, equiv, rsteer).
    public func folder(_ model: TableModel, level: Int, seed: UInt64) -> URL {
        settings.modelFolder(model, experiment: "levels/level-\(level)", seed: seed)
    }

    /// The checkpoint of every model `run` trains, in the order it trains them: seed by seed, each seed at every
    /// level, so that a run stopped part-way already holds whole seeds' pictures.
    public var checkpoints: [URL] {
        settings.seeds.flatMap { seed in
            settings.levels.flatMap { level in trainedModels.map { folder($0, level: level, seed: seed).appendingPathComponent("checkpoint.safetensors") } }
        }
    }

    /// Runs the experiment on `settings.levels`, prints the table and writes `<output>.md` and
    /// `<output>.png` (the model error against the data error; `settings.output`, default
    /// Docs/results/approximate-equivariance-levels). Returns the rows, one per level; nil when `shouldStop`
    /// stopped training (asked before every step, e.g. Ctrl-C; the model in training saves its checkpoint).
    ///
    /// Without `resume`, a model folder that already holds a checkpoint is refused before anything runs
    /// (`ExistingCheckpointError`). With it, every model continues from its checkpoint (one that had finished is
    /// only measured again, with its best epoch's parameters), so the rows are those of an uninterrupted run; a
    /// checkpoint made with other settings (`recordedSettings`, with the level and the pool) is refused, naming them.
    @discardableResult
    public func run(resume: Bool = false, shouldStop: @escaping () -> Bool = { false }) throws -> [Row]? {
        if !resume { try ExistingCheckpointError.refuse(checkpoints) }
        let start = Date()
        let (levels, pool, seeds, training) = (settings.levels, settings.pool, settings.seeds, settings.training)
        let levelList = levels.map(String.init).joined(separator: ",")
        var modelSettings = settings.modelSettings
        (modelSettings.inputFrames, modelSettings.size) = (1, 64 / pool)
        let initialization = modelSettings.relaxedInitialization
        let data = try EquivarianceLevelData(levels: levels, cache: FluidCache(directory: URL(fileURLWithPath: settings.cache)))
        Console.line(String(format: "equivariance levels %@: %d simulations ready in %.1f s", levelList,
                            data.simulations.count, Date().timeIntervalSince(start)))

        let prepared = levels.map { level in
            let simulations = (0..<4).map { Self.averagePooled(data.simulations[1 + $0 * level]!, by: pool) }
            let sequences = simulations.enumerated().map { $0.element.rotated(quarterTurns: $0.offset) }
            let windows = { (starts: Range<Int>) in
                FluidWindows(sequences, starts: starts, inputLength: Self.plan.inputLength, targetLength: Self.plan.targetLength)
            }
            return (simulations: simulations, train: windows(Self.plan.train), validation: windows(Self.plan.validation))
        }
        var outcomes = [[String: [Outcome]]](repeating: [:], count: levels.count)   // per level, per model, one per seed
        var names: [String] = []
        for seed in seeds {
            for (index, level) in levels.enumerated() {
                let (train, validation) = (prepared[index].train, prepared[index].validation)
                for (model, contender) in zip(Self.models, contenders(for: .rotation, modelSettings, seed: seed)) where trainedModels.contains(model) {
                    if !names.contains(contender.name) { names.append(contender.name) }
                    let recorded = settings.recordedSettings(experiment: "levels", model: contender.name, modelSettings, seed: seed)
                        .merging(["level": "\(level)", "pool": "\(pool)"]) { $1 }
                    let files = FluidCheckpointing(folder: folder(model, level: level, seed: seed), settings: recorded, resume: resume,
                                                   shouldStop: shouldStop)
                    guard let fitted = try FluidTraining.fit(contender, train: train, trainIndices: Array(train.indices), validation: validation,
                                                             validationIndices: Array(validation.indices), settings: training, seed: seed,
                                                             checkpointing: files) else { return nil }
                    let begun = Date()
                    let outcome = Outcome(modelError: Self.modelEquivarianceError(contender.model, validation, batchSize: training.batchSize),
                                          validationRMSE: FluidTraining.rolloutRMSE(contender.model, validation, indices: Array(validation.indices),
                                                                                    batchSize: training.batchSize),
                                          bestEpoch: fitted.bestEpoch, seconds: fitted.seconds + Date().timeIntervalSince(begun))
                    Console.line(String(format: "level %d %@ seed %d: equivariance error %.4f, validation RMSE %.4f (best epoch %d, %.1f s)", level,
                                        contender.name, seed, outcome.modelError, outcome.validationRMSE, outcome.bestEpoch, outcome.seconds))
                    outcomes[index][contender.name, default: []].append(outcome)
                }
            }
        }
        let rows = levels.enumerated().map { index, level in
            Row(level: level, dataError: Self.dataEquivarianceError(prepared[index].simulations),
                notebookError: data.dataEquivarianceError(level: level), outcomes: outcomes[index])
        }

        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        let grid = "\(64 / pool) x \(64 / pool)"
        var lines = ["# Approximately equivariant networks: learned equivariance error against the data's (section 5.2)", "",
                     "Settings: levels \(levelList), grid \(grid)\(pool > 1 ? " (64 x 64 averaged over \(pool) x \(pool) blocks)" : ""), "
                         + "epochs \(training.epochs), hidden \(modelSettings.hidden) (regular C4 fields: Equiv \(modelSettings.steerableFields.strict), "
                         + "RSteer \(modelSettings.steerableFields.relaxed)), "
                         + "layers \(modelSettings.layers), alpha \(modelSettings.alpha), RSteer init \(initialization == .equivariant ? "equivariant" : "reference random"), "
                         + "batch \(training.batchSize), lr \(training.learningRate), decay \(training.decay), seeds \(seeds.map(String.init).joined(separator: ",")). "
                         + "One input frame, 6 target frames, train starts 0..<30 and validation 30..<40 of the four sequences. "
                         + "Errors are mean absolute differences (velocity units); model errors are means over seeds.", "",
                     "| level | data error (\(grid)) | data error (64 x 64, notebook) | " + names.map { "\($0) error" }.joined(separator: " | ")
                         + " | " + names.map { "\($0) val. RMSE" }.joined(separator: " | ") + " |",
                     "|---|---|---|" + String(repeating: "---|", count: 2 * names.count)]
        for row in rows {
            let errors = names.map { name in row.outcomes[name].map { $0.count > 1 ? meanAndDeviation($0.map(\.modelError)) : String(format: "%.4f", $0[0].modelError) } ?? "" }
            let scores = names.map { name in String(format: "%.4f", mean(row.outcomes[name]?.map(\.validationRMSE) ?? [.nan])) }
            lines.append("| \(row.level) | \(String(format: "%.4f", row.dataError)) | \(String(format: "%.4f", row.notebookError)) | "
                         + (errors + scores).joined(separator: " | ") + " |")
        }
        let seconds = names.map { name in String(format: "%@ %.1f s", name, mean(rows.flatMap { $0.outcomes[name]?.map(\.seconds) ?? [] })) }
        lines += ["", "Mean training time per run: " + seconds.joined(separator: ", ")
                      + String(format: "; whole experiment %.1f s wall.", Date().timeIntervalSince(start))]

        let markers: [LinePlot.Marker] = [.square, .circle, .triangle, .diamond], colours = [3, 4, 2, 1]
        let colourNames = ["vermillion squares", "blue circles", "bluish-green triangles", "sky-blue diamonds"]
        let series = names.enumerated().map { index, name in
            LinePlot.Series(points: rows.map { (x: $0.dataError, y: mean($0.outcomes[name]?.map(\.modelError) ?? [.nan])) },
                            colour: LinePlot.palette[colours[index % 4]], marker: markers[index % 4])
        }
        let plot = LinePlot(series: series, diagonal: true)
        let output = settings.output.isEmpty ? "Docs/results/approximate-equivariance-levels" : settings.output
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: output).deletingLastPathComponent(), withIntermediateDirectories: true)
        let picture = URL(fileURLWithPath: output + ".png")
        try plot.image.writePNG(to: picture)
        lines += ["", "![model error against data error](\(picture.lastPathComponent))", "",
                  "x: data error, y: model error (both axes from 0); dashed grey: y = x. "
                      + names.enumerated().map { "\($1): \(colourNames[$0 % 4])" }
                      .joined(separator: ", ") + "."]
        let table = lines.joined(separator: "\n") + "\n"
        Console.line(table)
        try table.write(toFile: output + ".md", atomically: true, encoding: .utf8)
        Console.line(String(format: "wrote %@.md and .png (total %.1f s)", output, Date().timeIntervalSince(start)))
        return rows
    }
}
