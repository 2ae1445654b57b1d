import Orbit
import Testing
import OrbitTraining

// The per-step test figures of sequence models (`Evaluate.statisticsPerStep`), against sums written out by hand.

/// A persistence model (every predicted frame is the last input frame) on two batches of [B, 3, 1, 2, 2] float64
/// sequences: per step, the MSE is the mean of (last input - truth)² over sequences and pixels, and the intensity
/// ratio Σ last input / Σ truth over all of them; both match the same sums computed here in Double.
@Test func perStepStatisticsMatchHandSums() {
    // frames[sequence][time][pixel] = 1 + sequence + 2 time + pixel / 4
    var frames: [[[Double]]] = []
    for sequence in 0..<5 {
        frames.append((0..<3).map { (time: Int) -> [Double] in
            (0..<4).map { (pixel: Int) -> Double in Double(1 + sequence + 2 * time) + 0.25 * Double(pixel) }
        })
    }
    func batch(_ sequences: Range<Int>) -> Tensor {
        Tensor(sequences.flatMap { frames[$0].flatMap { $0 } }, shape: [sequences.count, 3, 1, 2, 2], dtype: .float64)
    }
    let persistence: (Tensor, Int) -> Tensor = { inputs, steps in
        concatenate(Array(repeating: inputs.slice(axis: 1, 0..<1), count: steps), axis: 1)
    }
    let statistics = Evaluate.statisticsPerStep(persistence, on: [batch(0..<2), batch(2..<5)], inputFrames: 1, steps: 2)
    for step in 0..<2 {
        var (squares, predicted, truth) = (0.0, 0.0, 0.0)
        for sequence in 0..<5 {
            for (last, target) in zip(frames[sequence][0], frames[sequence][step + 1]) {
                (squares, predicted, truth) = (squares + (last - target) * (last - target), predicted + last, truth + target)
            }
        }
        let (mse, ratio) = (squares / 20, predicted / truth)
        #expect(abs(statistics.meanSquaredError[step] - mse) <= 1e-14 * mse, "step \(step + 1)")
        #expect(abs(statistics.intensityRatio[step] - ratio) <= 1e-14, "step \(step + 1)")
    }
    #expect(Evaluate.meanSquaredErrorPerStep(persistence, on: [batch(0..<2), batch(2..<5)], inputFrames: 1, steps: 2)
            == statistics.meanSquaredError)
}
