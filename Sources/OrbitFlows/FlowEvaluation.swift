import Foundation
import Orbit
import OrbitDatasets
import OrbitNN

/// Test figures of a next-step predictor on a fixed set of sequences.
enum FlowEvaluation {
    /// The MSE of each predicted step, averaged over the sequences of `source` (each of at least
    /// `inputFrames + steps` frames): entry s is the mean squared error of predicted frame s + 1,
    /// mean over sequences and pixels of (prediction - truth)².
    static func meanSquaredErrorPerStep<Cell>(_ model: FlowPredictor<Cell>, on source: SequenceSource,
                                              inputFrames: Int, steps: Int, batchSize: Int = 50) -> [Double] {
        var sums = [Double](repeating: 0, count: steps)
        var count = 0
        for batch in source.batches(size: batchSize) {
            let batchCount = batch.shape[0]
            let predictions = model(batch.slice(axis: 1, 0..<inputFrames), predicting: steps)
            let targets = batch.slice(axis: 1, inputFrames..<(inputFrames + steps))
            let squared = square(predictions - targets)
            // [B, steps, 1, H, W] -> per-step sums over the batch and the pixels.
            let perStep = squared.sum(axes: [0, 2, 3, 4]).doubles
            let pixels = Double(batchCount * squared.shape[2] * squared.shape[3] * squared.shape[4])
            for step in 0..<steps { sums[step] += perStep[step] / pixels * Double(batchCount) }
            count += batchCount
        }
        return sums.map { $0 / Double(max(1, count)) }
    }

    /// The mean of `values[range]`.
    static func mean(_ values: [Double], _ range: Range<Int>) -> Double {
        values[range].reduce(0, +) / Double(range.count)
    }

    /// Mean and sample standard deviation (n - 1; 0 for one value), as the paper's "mean ± std over seeds".
    static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let mean = values.reduce(0, +) / Double(max(1, values.count))
        guard values.count > 1 else { return (mean, 0) }
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }

    /// "m.mmme-x ± s.se-y" (or just the mean for one value).
    static func formatted(_ values: [Double]) -> String {
        let (mean, deviation) = meanAndDeviation(values)
        return values.count > 1 ? String(format: "%.3e ± %.1e", mean, deviation) : String(format: "%.3e", mean)
    }

    /// One picture: ground truth (input and future frames) in the first row, then each model's predictions
    /// under the frames they predict. Values are clamped to [0, 1].
    static func picture(truth: Tensor, predictions: [Tensor], inputFrames: Int) -> RasterImage {
        let clamped = ([truth] + predictions).map { minimum(relu($0), Tensor(Float(1))) }
        return RasterImage.tiled(rows: clamped, firstColumns: [0] + predictions.map { _ in inputFrames })
    }
}
