import Foundation

/// Why training could not start, continue or go on.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// `resume()` found no checkpoint.
    case noCheckpoint(name: String, path: String)
    /// The checkpoint was made with other settings; each difference is "name was X, now Y".
    case incompatibleCheckpoint(path: String, differences: [String])
    case unreadableCheckpoint(path: String, reason: String)
    /// The loss or the gradient norm of a step was NaN or infinite; the update was not applied.
    case nonFinite(name: String, epoch: Int, step: Int, loss: Double, gradientNorm: Double, checkpoint: String?)
    /// The schedule gave a learning rate that is not a positive finite number.
    case invalidLearningRate(name: String, epoch: Int, value: Double)

    public var description: String {
        switch self {
        case .noCheckpoint(let name, let path):
            "cannot resume \(name): no checkpoint at \(path)"
        case .incompatibleCheckpoint(let path, let differences):
            "cannot resume from \(path): it was made with other settings (\(differences.joined(separator: "; ")))"
        case .unreadableCheckpoint(let path, let reason): "cannot resume from \(path): \(reason)"
        case .nonFinite(let name, let epoch, let step, let loss, let norm, let checkpoint):
            "\(name): training diverged at epoch \(epoch), step \(step): loss \(loss), gradient norm \(norm); the update was not applied"
                + (checkpoint.map { "; the last good checkpoint is \($0)" } ?? "; no checkpoint was saved yet")
                + " (try a smaller learning rate or gradient clipping)"
        case .invalidLearningRate(let name, let epoch, let value):
            "\(name): the learning rate of epoch \(epoch) is \(value); it must be a positive finite number"
        }
    }
}
