import Foundation
import Orbit
import OrbitDatasets
import OrbitNN

/// Test figures of a next-step predictor on a fixed set of sequences.
enum FlowEvaluation {
    /// The MSE of each predicted step, averaged over the sequences of `dataset` (each of at least
    /// `inputFrames + steps` frames): entry s is the mean squared error of predicted frame s + 1.
    static func meanSquaredErrorPerStep(_ model: FlowPredictor<FlowEquivariantRNNCell>, on dataset: TranslatingMNIST,
                                        inputFrames: Int, steps: Int, batchSize: Int = 50) -> [Double] {
        var sums = [Double](repeating: 0, count: steps)
        var count = 0
        for batch in DataLoader(dataset, batchSize: batchSize).batches(epoch: 0) {
            let predictions = model(batch.frames(in: 0..<inputFrames), predicting: steps)
            let targets = batch.frames(in: inputFrames..<(inputFrames + steps))
            let squared = square(predictions - targets)
            // [B, steps, 1, H, W] -> per-step sums over the batch and the pixels.
            let perStep = squared.sum(axes: [0, 2, 3, 4]).doubles
            let pixels = Double(batch.count * squared.shape[2] * squared.shape[3] * squared.shape[4])
            for step in 0..<steps { sums[step] += perStep[step] / pixels * Double(batch.count) }
            count += batch.count
        }
        return sums.map { $0 / Double(max(1, count)) }
    }

    /// The mean of `values[range]`.
    static func mean(_ values: [Double], _ range: Range<Int>) -> Double {
        values[range].reduce(0, +) / Double(range.count)
    }

    /// One picture: ground truth (input and future frames) in the first row, then each model's predictions
    /// under the frames they predict. Values are clamped to [0, 1].
    static func picture(truth: Tensor, predictions: [Tensor], inputFrames: Int) -> RasterImage {
        let clamped = ([truth] + predictions).map { minimum(relu($0), Tensor(Float(1))) }
        return RasterImage.tiled(rows: clamped, firstColumns: [0] + predictions.map { _ in inputFrames })
    }
}
