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

    /// One picture: ground truth (input and future frames) in the first row, then each model's predictions
    /// under the frames they predict. Values are clamped to [0, 1].
    public static func picture(truth: Tensor, predictions: [Tensor], inputFrames: Int) -> RasterImage {
        let clamped = ([truth] + predictions).map { minimum(relu($0), Tensor(Float(1))) }
        return RasterImage.tiled(rows: clamped, firstColumns: [0] + predictions.map { _ in inputFrames })
    }
}
