import Foundation
import Orbit
import OrbitModels
import OrbitNN
import OrbitOptimizers

// The Translating-MNIST FERNN training step of ../shared/bench/fernn_torch_bench.py (Docs/References.md §F2)
// and its JAX twin fernn_jax_bench.py (both come with the benchmarking environment, not this repository): 28x28 torus, T_IN encoder + T_OUT decoder steps (the decoder re-feeds
// the last input frame, then its own detached predictions), a decoder of DECODER_LAYERS x (HID -> HID,
// ReLU) then HID -> 1, all 3x3 circular without bias, MSE, Adam 1e-3, gradient clipping at norm 1.
//
// Names: `fernn_v<|V|>_b<batch>` is the paper's step (HID 128, 10 + 10, 4 decoder layers);
// `fernn_v<|V|>_b<batch>_h<HID>_t<T_IN>x<T_OUT>_d<DECODER_LAYERS>` any other shape (the same as the
// Python scripts' environment HID, T_IN, T_OUT, DECODER_LAYERS and worker arguments r, B with
// |V| = (2r + 1)²). |V| = 1 is the G-RNN. `smallFlowCaseNames` lists the small-regime grid that
// Benchmarks/sitting.sh runs; any other name of this form also runs when given on the command line.
// All are long cases: they run only when named.
//
// Flops (the direct algorithm's arithmetic, as fernn_torch_bench.py's step_gflop): 3 x the forward
// convolutions, 2·9·784 per channel pair and image: (T_IN + T_OUT)·N·(|V|·HID² + HID) for the cell and
// T_OUT·N·(DECODER_LAYERS·HID² + HID) for the decoder. Extra fields: the peak of live tensor bytes and the
// process's peak resident memory (VmHWM), the figure the Python scripts report.
struct FlowShape: Hashable {
    var velocities: Int, batch: Int, hidden = 128, inputSteps = 10, outputSteps = 10, decoderLayers = 4

    var name: String {
        let base = "fernn_v\(velocities)_b\(batch)"
        return self == FlowShape(velocities: velocities, batch: batch)
            ? base : base + "_h\(hidden)_t\(inputSteps)x\(outputSteps)_d\(decoderLayers)"
    }

    /// Parses a case name of either form; nil if it is not a flow case.
    init?(name: String) {
        let parts = name.split(separator: "_")
        guard parts.count == 3 || parts.count == 6, parts[0] == "fernn",
              parts[1].hasPrefix("v"), let velocities = Int(parts[1].dropFirst()),
              parts[2].hasPrefix("b"), let batch = Int(parts[2].dropFirst()), batch >= 1,
              [1, 9, 25, 49].contains(velocities) else { return nil }
        self.init(velocities: velocities, batch: batch)
        if parts.count == 6 {
            let steps = parts[4].dropFirst().split(separator: "x").compactMap { Int($0) }
            guard parts[3].hasPrefix("h"), let hidden = Int(parts[3].dropFirst()), hidden >= 1,
                  parts[4].hasPrefix("t"), steps.count == 2, steps.allSatisfy({ $0 >= 1 }),
                  parts[5].hasPrefix("d"), let layers = Int(parts[5].dropFirst()), layers >= 0 else { return nil }
            (self.hidden, inputSteps, outputSteps, decoderLayers) = (hidden, steps[0], steps[1], layers)
        }
    }

    init(velocities: Int, batch: Int, hidden: Int = 128, inputSteps: Int = 10, outputSteps: Int = 10, decoderLayers: Int = 4) {
        (self.velocities, self.batch, self.hidden) = (velocities, batch, hidden)
        (self.inputSteps, self.outputSteps, self.decoderLayers) = (inputSteps, outputSteps, decoderLayers)
    }

    var flops: Double {
        let perPair = 2.0 * 9 * 784, (n, h) = (Double(batch), Double(hidden))
        let cell = Double(inputSteps + outputSteps) * n * (Double(velocities) * h * h + h)
        let decoder = Double(outputSteps) * n * (Double(decoderLayers) * h * h + h)
        return 3 * perPair * (cell + decoder)
    }
}

/// The small-regime grid of issue 19 (the table rows plus hidden 8-64, |V| = 1, 9, 25, 5 + 5
/// and 10 + 10 frames, batch 8 and 32), in the order Benchmarks/sitting.sh runs it.
let smallFlowShapes: [FlowShape] = [
    FlowShape(velocities: 1, batch: 8, hidden: 16, inputSteps: 5, outputSteps: 5, decoderLayers: 1),
    FlowShape(velocities: 9, batch: 8, hidden: 16, inputSteps: 5, outputSteps: 5, decoderLayers: 1),
    FlowShape(velocities: 25, batch: 8, hidden: 32, inputSteps: 10, outputSteps: 10, decoderLayers: 2),
    FlowShape(velocities: 9, batch: 8, hidden: 128, inputSteps: 10, outputSteps: 10, decoderLayers: 4),
] + [8, 16, 32, 64].flatMap { hidden in
    [1, 9, 25].flatMap { velocities in
        [(5, 1), (10, 2)].flatMap { steps, layers in
            [8, 32].map { batch in
                FlowShape(velocities: velocities, batch: batch, hidden: hidden, inputSteps: steps, outputSteps: steps,
                          decoderLayers: layers)
            }
        }
    }
}

func flowCases() -> [BenchmarkCase] {
    var seen = Set<FlowShape>()
    let shapes = [1, 9, 25].map { FlowShape(velocities: $0, batch: 8) } + smallFlowShapes
    return shapes.filter { seen.insert($0).inserted }.map(flowCase)
}

func flowCase(_ shape: FlowShape) -> BenchmarkCase {
    var flowCase = BenchmarkCase(name: shape.name, flops: shape.flops) {
        var generator = RandomGenerator(seed: 7)
        let flows = TranslationFlows.grid(range: Int(Double(shape.velocities).squareRoot()) / 2)
        let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: shape.hidden, flows: flows, using: &generator)
        let model = FlowPredictor(cell: cell, decoderLayers: shape.decoderLayers, using: &generator)
        let optimizer = Adam(learningRate: 1e-3)
        let inputs = Tensor.randomUniform([shape.batch, shape.inputSteps, 1, 28, 28], using: &generator)
        let targets = Tensor.randomUniform([shape.batch, shape.outputSteps, 1, 28, 28], using: &generator)
        var losses: [Double] = []
        StorageStatistics.resetPeak()
        return BenchmarkCase.Prepared(
            run: {
                let parameters = model.parameters
                let (loss, gradients) = valueAndGradient(of: parameters) {
                    meanSquaredError(model(inputs, predicting: shape.outputSteps), targets)
                }
                optimizer.update(parameters, with: clipByGlobalNorm(gradients, maximumNorm: 1).gradients)
                losses.append(loss.item)
            },
            verify: {
                // The first Adam step must lower the loss, and the parameter count must be the Python scripts'.
                // (Later steps on dense uniform noise at the paper's learning rate can diverge - the ReLU
                // recurrence sees far more input energy than from MNIST - so only the first step is a sound check.)
                let h = shape.hidden, expected = 9 * (h + h * h + shape.decoderLayers * h * h + h)
                guard model.parameterCount == expected else { return "parameter count \(model.parameterCount), expected \(expected)" }
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
