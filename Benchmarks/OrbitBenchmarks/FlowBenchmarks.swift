import Foundation
import Orbit
import OrbitModels
import OrbitNN
import OrbitOptimizers

// The Translating-MNIST FERNN training step of ../shared/bench/fernn_torch_bench.py (Docs/References.md §F2; the PyTorch script comes with the benchmarking environment, not this repository):
// hidden 128, 28x28 torus, 10 encoder + 10 decoder steps (the decoder re-feeds frame 10, then its own
// detached predictions), MSE, Adam 1e-3, gradient clipping at norm 1. Named fernn_v<|V|>_b<batch>;
// |V| = 1 is the G-RNN. Long cases: run them by name (`make bench CASES="fernn_v9_b8"`).
// Flops: the recurrent and decoder convolutions, 3 × 2·(N·|V|·20 + N·10·4)·128·128·9·784 (the 1-channel
// convolutions are negligible). Extra fields: the peak of live tensor bytes, and the process's peak
// resident memory (VmHWM) - the figure fernn_torch_bench.py reports for PyTorch.
func flowCases() -> [BenchmarkCase] {
    [1, 9, 25].flatMap { velocities in [8].map { batch in flowCase(velocities: velocities, batch: batch) } }
}

private func flowCase(velocities: Int, batch: Int) -> BenchmarkCase {
    let multiplyAdds = Double(batch * velocities * 20 + batch * 10 * 4) * 128 * 128 * 9 * 784
    var flowCase = BenchmarkCase(name: "fernn_v\(velocities)_b\(batch)", flops: 3 * 2 * multiplyAdds) {
        var generator = RandomGenerator(seed: 7)
        let flows = TranslationFlows.grid(range: Int(Double(velocities).squareRoot()) / 2)
        let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 128, flows: flows, using: &generator)
        let model = FlowPredictor(cell: cell, using: &generator)
        let optimizer = Adam(learningRate: 1e-3)
        let inputs = Tensor.randomUniform([batch, 10, 1, 28, 28], using: &generator)
        let targets = Tensor.randomUniform([batch, 10, 1, 28, 28], using: &generator)
        var losses: [Double] = []
        StorageStatistics.resetPeak()
        return BenchmarkCase.Prepared(
            run: {
                let parameters = model.parameters
                let (loss, gradients) = valueAndGradient(of: parameters) {
                    meanSquaredError(model(inputs, predicting: 10), targets)
                }
                optimizer.update(parameters, with: clipByGlobalNorm(gradients, maximumNorm: 1).gradients)
                losses.append(loss.item)
            },
            verify: {
                // The first Adam step must lower the loss, and the parameter count must be the paper's. (Later
                // steps on dense uniform noise at the paper's learning rate can diverge - the ReLU recurrence
                // sees far more input energy than from MNIST - so only the first step is a sound check.)
                guard model.parameterCount == 739_584 else { return "parameter count \(model.parameterCount), expected 739,584" }
                return losses.count >= 2 && losses[1] < losses[0] ? nil : "the first step did not lower the loss: \(losses)"
            },
            extra: { ["peak_tensor_bytes": StorageStatistics.peakBytes, "peak_rss_bytes": peakResidentBytes()] })
    }
    flowCase.isLong = true
    return flowCase
}

/// VmHWM of this process, in bytes (the peak resident set size).
func peakResidentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes * 1024
}
