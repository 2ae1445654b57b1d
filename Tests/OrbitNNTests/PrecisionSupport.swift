import Orbit
import OrbitNN
import _OrbitTestSupport

/// The relative error ‖g₃₂ - g₆₄‖ / ‖g₆₄‖ of every gradient the float32 route computes for `model32`,
/// against the float64 route for `model64`: the two layers must have the same architecture (the same
/// parameter names and shapes). The float64 parameters, `input` and a seeded cotangent are first rounded
/// to float32 and both routes start from those same values, so the errors measure float32 arithmetic
/// only (forward, tape and backward kernels), not the rounding of the data.
///
/// Returns one (name, error) per parameter and ("input", error) for the input gradient.
func float32GradientErrors(_ model64: some Layer, _ model32: some Layer, input: Tensor,
                           seed: UInt64) -> [(name: String, error: Double)] {
    let named64 = model64.namedParameters, named32 = model32.namedParameters
    precondition(named64.map(\.name) == named32.map(\.name), "float32GradientErrors: the layers differ")
    for ((_, p64), (_, p32)) in zip(named64, named32) {
        p32.value = p64.value.converted(to: .float32)
        p64.value = p32.value.converted(to: .float64)
    }
    let input32 = input.converted(to: .float32)
    let (x64, x32) = (Parameter(input32.converted(to: .float64)), Parameter(input32))
    let outputShape = model64(x64.value).shape
    var generator = RandomGenerator(seed: seed)
    let cotangent32 = Tensor.randomNormal(outputShape, dtype: .float64, using: &generator).converted(to: .float32)
    let cotangent64 = cotangent32.converted(to: .float64)
    let gradients64 = valueAndGradient(of: model64.parameters + [x64], seed: cotangent64) { model64(x64.value) }.gradients
    let gradients32 = valueAndGradient(of: model32.parameters + [x32], seed: cotangent32) { model32(x32.value) }.gradients
    let pairs = zip(named64, named32).map { ($0.name, $0.parameter, $1.parameter) } + [("input", x64, x32)]
    return pairs.map { name, p64, p32 in
        (name, relativeError(gradients32[p32].converted(to: .float64).doubles, gradients64[p64].doubles))
    }
}
