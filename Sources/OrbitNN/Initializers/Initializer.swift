import Orbit

/// How a weight tensor is initialized. Every initializer draws from an explicitly passed generator.
///
/// Fans follow PyTorch: for a weight [out, in, k₁, …], fanIn = in·k₁·…, fanOut = out·k₁·….
public enum Initializer: Sendable {
    /// PyTorch's default for `Linear` and `Conv*d` weights and biases, `kaiming_uniform_(a=√5)`:
    /// U(-1/√fanIn, 1/√fanIn). Matching it makes parameter statistics match a PyTorch model.
    case pytorchDefault
    /// He et al. 2015, uniform: U(±gain·√(3/fanIn)), gain √2 for ReLU.
    case kaimingUniform(gain: Double = 2.0.squareRoot())
    /// He et al. 2015, normal: N(0, (gain/√fanIn)²).
    case kaimingNormal(gain: Double = 2.0.squareRoot())
    /// Glorot and Bengio 2010, uniform: U(±gain·√(6/(fanIn + fanOut))).
    case glorotUniform(gain: Double = 1)
    /// Glorot and Bengio 2010, normal: N(0, gain²·2/(fanIn + fanOut)).
    case glorotNormal(gain: Double = 1)
    /// U(-bound, bound).
    case uniform(bound: Double)
    /// N(0, standardDeviation²).
    case normal(standardDeviation: Double)
    /// All zeros.
    case zeros
    /// All equal to `value`.
    case constant(Double)

    /// A tensor of `shape` drawn from this initializer. `fanIn`/`fanOut` override the values derived
    /// from the shape (a bias uses its layer's weight fans).
    public func makeTensor(_ shape: [Int], fanIn: Int? = nil, fanOut: Int? = nil, dtype: DType = .float32,
                           using generator: inout RandomGenerator) -> Tensor {
        let receptive = shape.count > 2 ? shape[2...].reduce(1, *) : 1
        let inFan = Double(max(1, fanIn ?? (shape.count > 1 ? shape[1] * receptive : shape.first ?? 1)))
        let outFan = Double(max(1, fanOut ?? (shape.first ?? 1) * receptive))
        func uniform(_ bound: Double) -> Tensor {
            Tensor.randomUniform(shape, lowerBound: -bound, upperBound: bound, dtype: dtype, using: &generator)
        }
        func normal(_ deviation: Double) -> Tensor {
            Tensor.randomNormal(shape, standardDeviation: deviation, dtype: dtype, using: &generator)
        }
        switch self {
        case .pytorchDefault: return uniform(1 / inFan.squareRoot())
        case .kaimingUniform(let gain): return uniform(gain * (3 / inFan).squareRoot())
        case .kaimingNormal(let gain): return normal(gain / inFan.squareRoot())
        case .glorotUniform(let gain): return uniform(gain * (6 / (inFan + outFan)).squareRoot())
        case .glorotNormal(let gain): return normal(gain * (2 / (inFan + outFan)).squareRoot())
        case .uniform(let bound): return uniform(bound)
        case .normal(let deviation): return normal(deviation)
        case .zeros: return Tensor.zeros(shape, dtype: dtype)
        case .constant(let value): return Tensor.full(shape, value: value, dtype: dtype)
        }
    }
}
