import Orbit
import OrbitModels
import OrbitNN
import _OrbitTestSupport

/// Adds N(0, size²) noise to every entry of a float64 parameter.
func perturb(_ parameter: Parameter, size: Double, seed: UInt64) {
    var generator = RandomGenerator(seed: seed)
    parameter.value = parameter.value + Tensor.randomNormal(parameter.shape, standardDeviation: size, dtype: .float64, using: &generator)
}

/// One plain gradient-descent step on `loss` for `parameters`.
func descend(_ parameters: [Parameter], learningRate: Double, _ loss: () -> Tensor) {
    let gradients = valueAndGradient(of: parameters, loss).gradients
    for parameter in parameters { parameter.value = parameter.value - gradients[parameter] * learningRate }
}

/// A small scale basis (3 scales, 9 functions on 5×5) that keeps the scale tests fast.
let scaleBasis = HermiteGaussianBasis(kernelSize: 5, scales: [1, 1.5, 2], effectiveSize: 3)

/// ‖f(shift x) - shift f(x)‖ / ‖f(x)‖ for integer cyclic shifts of H and W (exact with circular padding).
func translationErrors(_ function: (Tensor) -> Tensor, input: Tensor, shifts: [[Int]]) -> [Double] {
    let output = function(input)
    return shifts.map { shift in
        let first = function(input.rolled(shifts: shift, axes: [2, 3]))
        return relativeError(first.doubles, output.rolled(shifts: shift, axes: [2, 3]).doubles)
    }
}
