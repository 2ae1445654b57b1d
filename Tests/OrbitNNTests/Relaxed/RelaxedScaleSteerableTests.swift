import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// RSteer for scale: coefficient maps constant over the kernel pixels give exactly the ScaleConvolution of
// those coefficients; varying maps do not; the steerable regularizer sees the maps.

@Test func relaxedScaleSteerableConvolutionStartsAsTheScaleConvolution() {
    var generator = RandomGenerator(seed: 12)
    for lifting in [true, false] {
        let scaleSize = lifting ? 1 : 2
        let relaxed = RelaxedScaleSteerableConvolution(inputChannels: 2, outputChannels: 3, basis: scaleBasis, lifting: lifting,
                                                       scaleSize: scaleSize, dtype: .float64, using: &generator)
        let strict = ScaleConvolution(inputChannels: 2, outputChannels: 3, basis: scaleBasis, lifting: lifting, scaleSize: scaleSize,
                                      dtype: .float64, using: &generator)
        strict.weight.value = relaxed.weight.value.slice(axis: 1, index: 0).slice(axis: 1, index: 0).reshaped(strict.weight.shape)
        strict.bias!.value = relaxed.bias!.value
        let x = randomTensor(lifting ? [1, 2, 7, 7] : [1, 2, 3, 7, 7], seed: 13)
        expectClose(relaxed.filter, strict.filter, relativeTolerance: 1e-14)
        expectClose(relaxed(x), strict(x), relativeTolerance: 1e-13)
        #expect(relaxedSteerableRegularizer([relaxed], alpha: 1).item == 0)
        // Negative control: maps that vary over the pixels change the output and the regularizer sees them.
        perturb(relaxed.weight, size: 0.1, seed: 14)
        #expect(relativeError(relaxed(x).doubles, strict(x).doubles) > 1e-2)
        #expect(relaxedSteerableRegularizer([relaxed], alpha: 1).item > 0)
        let check = GradientCheck(parameters: relaxed.parameters) { relaxed(x) }
        #expect(check.passed, "lifting \(lifting): \(check)")
        let inputCheck = GradientCheck({ relaxed($0[0]) }, at: [x])
        #expect(inputCheck.passed, "lifting \(lifting): \(inputCheck)")
    }
    let random = RelaxedScaleSteerableConvolution(inputChannels: 1, outputChannels: 1, basis: scaleBasis, lifting: true,
                                                  initialization: .referenceRandom, dtype: .float64, using: &generator)
    #expect(random.weight.shape == [scaleBasis.functionCount, 5, 5] && relaxedSteerableRegularizer([random], alpha: 1).item > 0)
}
