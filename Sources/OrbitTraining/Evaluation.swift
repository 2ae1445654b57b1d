import Foundation
import Orbit
import OrbitDatasets

/// Test figures computed the same way by every command: no shuffling, no gradients, sums in float64.
public enum Evaluate {
    /// Mean cross-entropy and accuracy of a classifier over labelled batches (inputs [B, ...], labels [B]).
    public static func classification(_ model: (Tensor) -> Tensor, on batches: some Sequence<Batch>) -> (loss: Double, accuracy: Double) {
        var (lossSum, correct, count) = (0.0, 0.0, 0)
        for batch in batches {
            let logits = model(batch.inputs).detached()
            lossSum += crossEntropy(logits, labels: batch.labels, reduction: .sum).item
            correct += (logits.argmax(axis: 1) .== batch.labels).converted(to: .float64).sum().item
            count += batch.count
        }
        return (lossSum / Double(max(1, count)), correct / Double(max(1, count)))
    }

    /// The MSE of each predicted step of a sequence model, averaged over the sequences [B, T, C, H, W] of
    /// `batches` (T >= inputFrames + steps): entry s is the mean over sequences and pixels of
    /// (prediction - truth)² for predicted frame s + 1. `predict(inputs, steps)` maps the first
    /// `inputFrames` frames [B, inputFrames, C, H, W] to [B, steps, C, H, W].
    public static func meanSquaredErrorPerStep(_ predict: (Tensor, Int) -> Tensor, on batches: some Sequence<Tensor>,
                                               inputFrames: Int, steps: Int) -> [Double] {
        statisticsPerStep(predict, on: batches, inputFrames: inputFrames, steps: steps).meanSquaredError
    }

    /// What `statisticsPerStep` measures at each predicted step.
    public struct StepStatistics: Sendable, Equatable {
        /// Mean over sequences and pixels of (prediction - truth)² (`meanSquaredErrorPerStep`).
        public var meanSquaredError: [Double]
        /// Σ prediction / Σ truth over all sequences and pixels: 1 when the predictions keep the truth's total
        /// brightness, above 1 when they brighten (a closed loop's gain past the trained length), below when they fade.
        public var intensityRatio: [Double]
    }

    /// The MSE and the intensity ratio of each predicted step, from one rollout of every batch (as
    /// `meanSquaredErrorPerStep`).
    public static func statisticsPerStep(_ predict: (Tensor, Int) -> Tensor, on batches: some Sequence<Tensor>,
                                         inputFrames: Int, steps: Int) -> StepStatistics {
        var squares = [Double](repeating: 0, count: steps)
        var (predicted, truths, count) = (squares, squares, 0)
        for batch in batches {
            requireArgument(batch.rank == 5 && batch.shape[1] >= inputFrames + steps, "Evaluate.statisticsPerStep",
                            "sequences must be [B, T, C, H, W] with T >= \(inputFrames) + \(steps), got \(batch.shape)")
            let predictions = predict(batch.slice(axis: 1, 0..<inputFrames), steps).detached()
            let truth = batch.slice(axis: 1, inputFrames..<(inputFrames + steps))
            let squared = square(predictions - truth)
            let pixelsPerSequence = Double(squared.shape[2] * squared.shape[3] * squared.shape[4])
            let perStep = squared.sum(axes: [0, 2, 3, 4]).doubles
            let (predictedSums, truthSums) = (predictions.sum(axes: [0, 2, 3, 4]).doubles, truth.sum(axes: [0, 2, 3, 4]).doubles)
            for step in 0..<steps {
                squares[step] += perStep[step] / pixelsPerSequence
                predicted[step] += predictedSums[step]
                truths[step] += truthSums[step]
            }
            count += batch.shape[0]
        }
        return StepStatistics(meanSquaredError: squares.map { $0 / Double(max(1, count)) },
                              intensityRatio: zip(predicted, truths).map { $0 / $1 })
    }

    /// Mean and sample standard deviation (n - 1; 0 for one value), as papers report "mean ± std over seeds".
    public static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let mean = values.reduce(0, +) / Double(max(1, values.count))
        guard values.count > 1 else { return (mean, 0) }
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }

    /// "m.mmme-x ± s.se-y" (just the mean for one value).
    public static func formatted(_ values: [Double]) -> String {
        let (mean, deviation) = meanAndDeviation(values)
        return values.count > 1 ? String(format: "%.3e ± %.1e", mean, deviation) : String(format: "%.3e", mean)
    }
}
