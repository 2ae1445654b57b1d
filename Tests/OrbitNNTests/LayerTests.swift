import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// Layers against references written out in plain loops, and their gradients in float64.

@Test func linearComputesXWTransposePlusBias() {
    var generator = RandomGenerator(seed: 1)
    let layer = Linear(inputFeatures: 3, outputFeatures: 2, dtype: .float64, using: &generator)
    let x = randomTensor([4, 3], seed: 2)
    let (w, b, input) = (layer.weight.value.doubles, layer.bias!.value.doubles, x.doubles)
    var expected = [Double]()
    for row in 0..<4 {
        for output in 0..<2 {
            expected.append((0..<3).reduce(b[output]) { $0 + input[row * 3 + $1] * w[output * 3 + $1] })
        }
    }
    expectClose(layer(x), Tensor(expected, shape: [4, 2]), relativeTolerance: 1e-14)
}

@Test func pytorchDefaultInitializationStaysInItsBound() {
    var generator = RandomGenerator(seed: 3)
    let layer = Convolution2D(inputChannels: 16, outputChannels: 32, kernelSize: 3, using: &generator)
    let bound = 1 / Double(16 * 9).squareRoot()
    let weights = layer.weight.value.doubles, biases = layer.bias!.value.doubles
    #expect(weights.allSatisfy { abs($0) <= bound } && biases.allSatisfy { abs($0) <= bound })
    // U(-b, b) has variance b²/3: check the sample variance of 4,608 draws to within 10%.
    let variance = weights.map { $0 * $0 }.reduce(0, +) / Double(weights.count)
    #expect(abs(variance / (bound * bound / 3) - 1) < 0.1)
}

@Test(arguments: [Initializer.kaimingNormal(), .glorotNormal(), .kaimingUniform(), .glorotUniform()])
func initializerVariancesMatchTheirFormulas(_ initializer: Initializer) {
    var generator = RandomGenerator(seed: 4)
    let tensor = initializer.makeTensor([64, 32, 3, 3], dtype: .float64, using: &generator)
    let (fanIn, fanOut) = (32.0 * 9, 64.0 * 9)
    let expected: Double = switch initializer {
    case .kaimingNormal, .kaimingUniform: 2 / fanIn
    default: 2 / (fanIn + fanOut)
    }
    let values = tensor.doubles
    let variance = values.map { $0 * $0 }.reduce(0, +) / Double(values.count)
    // 18,432 draws: the relative standard error of a variance is about √(2/n) ≈ 1%; allow 5%.
    #expect(abs(variance / expected - 1) < 0.05, "variance \(variance), expected \(expected)")
}

@Test func batchNormalizationTrainsOnBatchStatisticsAndEvaluatesOnRunningOnes() {
    let layer = BatchNormalization(channels: 2, dtype: .float64)
    let x = randomTensor([3, 2, 2, 2], seed: 5, lowerBound: 0, upperBound: 4)
    let values = x.doubles
    let output = layer(x).doubles
    for channel in 0..<2 {
        let indices = (0..<3).flatMap { n in (0..<4).map { (n * 2 + channel) * 4 + $0 } }
        let entries = indices.map { values[$0] }
        let mean = entries.reduce(0, +) / 12
        let variance = entries.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 12
        for index in indices {
            #expect(abs(output[index] - (values[index] - mean) / (variance + 1e-5).squareRoot()) < 1e-12)
        }
        // Running statistics moved by momentum 0.1 toward the batch mean and the unbiased variance.
        #expect(abs(layer.runningMean.value.doubles[channel] - 0.1 * mean) < 1e-14)
        #expect(abs(layer.runningVariance.value.doubles[channel] - (0.9 + 0.1 * variance * 12 / 11)) < 1e-14)
    }
    #expect(layer.batchesTracked.value.item == 1)
    layer.eval()
    let evaluated = layer(x).doubles
    let (runningMean, runningVariance) = (layer.runningMean.value.doubles, layer.runningVariance.value.doubles)
    for index in values.indices {
        let channel = (index / 4) % 2
        #expect(abs(evaluated[index] - (values[index] - runningMean[channel]) / (runningVariance[channel] + 1e-5).squareRoot()) < 1e-12)
    }
}

@Test func normalizationLayersHaveCorrectGradients() {
    let batch = BatchNormalization(channels: 3, dtype: .float64)
    let layer = LayerNormalization(normalizedShape: [4], dtype: .float64)
    let group = GroupNormalization(groups: 2, channels: 4, dtype: .float64)
    for (name, function, shape) in [
        ("batch", { (x: Tensor) in batch(x) }, [4, 3, 2, 2]),
        ("layer", { (x: Tensor) in layer(x) }, [3, 4]),
        ("group", { (x: Tensor) in group(x) }, [2, 4, 3, 3]),
    ] as [(String, (Tensor) -> Tensor, [Int])] {
        let check = GradientCheck({ function($0[0]) }, at: [randomTensor(shape, seed: 6)])
        #expect(check.passed, "\(name): \(check)")
    }
}

@Test func dropoutZeroesAboutPAndScalesTheRest() {
    let layer = Dropout(probability: 0.25, seed: 7)
    let output = layer(Tensor.ones([10_000])).doubles
    let kept = output.filter { $0 != 0 }
    #expect(kept.allSatisfy { abs($0 - 4.0 / 3) < 1e-6 })
    // Binomial(10,000, 0.75): standard deviation 43; allow 5 of them.
    #expect(abs(Double(kept.count) - 7500) < 5 * 43.3)
    layer.eval()
    #expect(layer(Tensor.ones([100])).doubles.allSatisfy { $0 == 1 })
}

@Test func dropoutReseedingRepeatsTheMask() {
    let layer = Dropout(probability: 0.5, seed: 8)
    let first = layer(Tensor.ones([64])).doubles
    layer.reseed(8)
    #expect(layer(Tensor.ones([64])).doubles == first)
}

@Test func convolutionalRNNUnrollsAndDifferentiates() {
    var generator = RandomGenerator(seed: 9)
    let cell = ConvolutionalRNNCell(inputChannels: 1, hiddenChannels: 2, dtype: .float64, using: &generator)
    let sequence = randomTensor([2, 4, 1, 5, 5], seed: 10)
    let (outputs, state) = unroll(cell, over: sequence)
    #expect(outputs.shape == [2, 4, 2, 5, 5] && state.shape == [2, 2, 5, 5])
    expectClose(outputs.slice(axis: 1, index: 3), state, relativeTolerance: 0)
    let check = GradientCheck({ inputs in unroll(cell, over: inputs[0]).outputs }, at: [sequence])
    #expect(check.passed, "\(check)")
    #expect(cell.namedParameters.map(\.name) == ["inputConvolution.weight", "hiddenConvolution.weight"])
}

/// The bound for `float32GradientErrors`: float32's unit roundoff u = 2⁻²⁴ ≈ 6e-8 times √n for the
/// longest sum (n = N·H·W = 128 products per weight-gradient entry here) is ≈ 7e-7; measured at most
/// 2.5e-7 over these tests. A kernel whose weight gradient is off by 1e-4 relative fails (tried: the direct
/// kernel's result times 1.0001 gave 1.0e-4); a wrong tap, image or channel is an O(1) error.
let float32GradientTolerance = 1e-5

@Test(arguments: [2, 8])
func convolutionFloat32GradientsAgreeWithFloat64(_ outputChannels: Int) {
    // 2 output channels take the direct single-precision kernels (forward and weight gradient, at most 3
    // output channels), 8 the GEMM ones; float64 always runs the generic route.
    func layer(_ dtype: DType) -> Convolution2D {
        var generator = RandomGenerator(seed: 11)
        return Convolution2D(inputChannels: 3, outputChannels: outputChannels, kernelSize: 3, padding: 1, dtype: dtype, using: &generator)
    }
    let errors = float32GradientErrors(layer(.float64), layer(.float32), input: randomTensor([2, 3, 8, 8], seed: 12), seed: 13)
    #expect(errors.map(\.name) == ["weight", "bias", "input"])
    for (name, error) in errors {
        #expect(error < float32GradientTolerance, "\(outputChannels) output channels, \(name): relative error \(error)")
    }
}
