import Foundation
import Orbit
import OrbitDatasets
import OrbitImages
import OrbitModels
import OrbitNN
import OrbitTraining

/// Test figures of a next-step predictor on a fixed set of sequences.
public enum FlowEvaluation {
    /// The MSE of each predicted step over the sequences of `source` (`Evaluate.meanSquaredErrorPerStep`).
    public static func meanSquaredErrorPerStep<Cell>(_ model: FlowPredictor<Cell>, on source: SequenceSource,
                                              inputFrames: Int, steps: Int, batchSize: Int = 50) -> [Double] {
        Evaluate.meanSquaredErrorPerStep({ model($0, predicting: $1) }, on: source.batches(size: batchSize),
                                         inputFrames: inputFrames, steps: steps)
    }

    /// The MSE and the predicted over true intensity of each predicted step (`Evaluate.statisticsPerStep`).
    public static func statisticsPerStep<Cell>(_ model: FlowPredictor<Cell>, on source: SequenceSource,
                                        inputFrames: Int, steps: Int, batchSize: Int = 50) -> Evaluate.StepStatistics {
        Evaluate.statisticsPerStep({ model($0, predicting: $1) }, on: source.batches(size: batchSize),
                                   inputFrames: inputFrames, steps: steps)
    }

    /// A strip: the last input frame and every `every`-th future frame of the truth in the first row, then
    /// each model's predictions at the same steps under them ([T, C, H, W] each; predictions [steps, C, H, W]).
    /// Fewer than `every` steps: every step. Values are clamped to [0, 1].
    public static func strip(truth: Tensor, predictions: [Tensor], inputFrames: Int, every: Int) -> RasterImage {
        let steps = predictions.map { $0.shape[0] }.min() ?? (truth.shape[0] - inputFrames)
        let every = max(1, min(every, steps))
        let marks = Array(stride(from: every, through: steps, by: every))
        requireArgument(!marks.isEmpty && truth.shape[0] >= inputFrames + steps, "FlowEvaluation.strip",
                        "need at least \(every) predicted steps and \(inputFrames) + steps truth frames, got truth \(truth.shape), "
                        + "predictions \(predictions.map(\.shape))")
        let truthRow = stack([truth.slice(axis: 0, index: inputFrames - 1)] + marks.map { truth.slice(axis: 0, index: inputFrames + $0 - 1) }, axis: 0)
        let rows = predictions.map { prediction in stack(marks.map { prediction.slice(axis: 0, index: $0 - 1) }, axis: 0) }
        let clamped = ([truthRow] + rows).map { minimum(relu($0), Tensor(Float(1))) }
        return RasterImage.tiled(rows: clamped, firstColumns: [0] + rows.map { _ in 1 })
    }
}
