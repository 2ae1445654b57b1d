import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitImages
import OrbitNN
import OrbitOptimizers

/// The files of a training run: the checkpoint with its training state, the best epoch's weights, the
/// metrics log and the training curve. Every write is atomic.
enum TrainingFiles {
    /// Non-finite numbers (a diverged loss) are written as strings, so a history can always be saved.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()

    /// Foundation's file errors pass through unchanged: they carry the path and the POSIX reason, which
    /// the command line's `CommandFailure` turns into one line naming the option that chose the path.
    static func createDirectory(_ directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    static func writeCheckpoint(model: any Module, optimizer: any Optimizer, position: TrainingPosition, history: [EpochRecord],
                                settings: [String: String], to url: URL) throws {
        try checkpoint(model: model, optimizer: optimizer, position: position, history: history, settings: settings).write(to: url)
    }

    /// The training state as a checkpoint: weights, optimizer state, and position, history and settings as
    /// JSON metadata (also what data-parallel training sends from rank 0 to the others).
    static func checkpoint(model: any Module, optimizer: any Optimizer, position: TrainingPosition, history: [EpochRecord],
                           settings: [String: String]) throws -> Checkpoint {
        let metadata = ["training.position": String(decoding: try encoder.encode(position), as: UTF8.self),
                        "training.history": String(decoding: try encoder.encode(history), as: UTF8.self),
                        "training.settings": String(decoding: try encoder.encode(settings), as: UTF8.self)]
        return Checkpoint(model: model, optimizerState: optimizer.stateTensors(for: model.namedParameters), metadata: metadata)
    }

    /// Loads a checkpoint written by `writeCheckpoint` into `model` and `optimizer` after checking that it
    /// was made with `settings`; returns its position and history.
    static func readCheckpoint(_ url: URL, into model: any Module, optimizer: any Optimizer,
                               settings: [String: String]) throws -> (position: TrainingPosition, history: [EpochRecord]) {
        try restore(try Checkpoint(contentsOf: url), path: url.path, into: model, optimizer: optimizer, settings: settings)
    }

    /// `readCheckpoint` of a checkpoint already read (`path` names it in errors).
    static func restore(_ checkpoint: Checkpoint, path: String, into model: any Module, optimizer: any Optimizer,
                        settings: [String: String]) throws -> (position: TrainingPosition, history: [EpochRecord]) {
        func field<Value: Decodable>(_ key: String, _ type: Value.Type) throws -> Value {
            guard let text = checkpoint.metadata[key], let value = try? decoder.decode(type, from: Data(text.utf8)) else {
                throw TrainingError.unreadableCheckpoint(path: path, reason: "its metadata has no readable \(key)")
            }
            return value
        }
        let saved = try field("training.settings", [String: String].self)
        let differences = Set(saved.keys).union(settings.keys).sorted().compactMap { key -> String? in
            saved[key] == settings[key] ? nil : "\(key) was \(saved[key] ?? "not set"), now \(settings[key] ?? "not set")"
        }
        guard differences.isEmpty else { throw TrainingError.incompatibleCheckpoint(path: path, differences: differences) }
        let state = (position: try field("training.position", TrainingPosition.self), history: try field("training.history", [EpochRecord].self))
        try checkpoint.restore(model)
        optimizer.loadStateTensors(checkpoint.optimizerState, for: model.namedParameters)
        return state
    }

    static func writeBest(_ model: any Module, epoch: Int, score: Double, to url: URL) throws {
        try Checkpoint(model: model, metadata: ["training.epoch": "\(epoch)", "training.score": "\(score)"]).write(to: url)
    }

    /// The parameters saved by `writeBest` for `epoch`; nil when the file holds another epoch (a kill
    /// between the two writes; the resumed run recomputes that epoch and writes the file again).
    static func readBest(_ url: URL, epoch: Int, like model: any Module) throws -> ParameterSnapshot? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let best = try Checkpoint(contentsOf: url)
        guard best.metadata["training.epoch"] == "\(epoch)" else { return nil }
        return ParameterSnapshot(values: try model.namedParameters.map { name, parameter in
            guard let value = best.modelState[name], value.shape == parameter.shape else {
                throw TrainingError.unreadableCheckpoint(path: url.path, reason: "parameter \(name) \(parameter.shape) is missing or has another shape")
            }
            return (name, value)
        })
    }

    /// Replaces the metrics file by `records` (the checkpoint's history) and opens it for appending.
    static func startMetrics(at url: URL, records: [[String: MetricValue]]) throws -> MetricsLog {
        try Data(records.map { MetricsLog.line($0) }.joined().utf8).write(to: url, options: .atomic)
        return try MetricsLog(appendingTo: url)
    }

    /// training-curve.png: the training loss (orange, squares) and the validation score (blue, circles)
    /// against the epoch.
    static func writeCurve(_ history: [EpochRecord], to url: URL) throws {
        let training = history.map { (x: Double($0.epoch), y: $0.trainingLoss) }
        let validation = history.compactMap { record in record.validation.map { (x: Double(record.epoch), y: $0) } }
        let plot = LinePlot(series: [.init(points: training, colour: LinePlot.palette[0], marker: .square),
                                     .init(points: validation, colour: LinePlot.palette[1], marker: .circle)])
        try plot.image.writePNG(to: url)
    }
}
