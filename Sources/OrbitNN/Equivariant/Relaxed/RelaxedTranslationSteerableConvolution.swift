import Orbit

/// A relaxed layer whose L banks are mixed by weights that depend on the (output) position, [H, W, L]:
/// what `relaxedTranslationRegularizer` penalises (neighbouring positions should agree).
public protocol RelaxedPositionLayer: AnyObject {
    /// [H, W, L]: a_l(x) for each output position x and bank l.
    var combinationWeights: Parameter { get }
}

extension RelaxedTranslationConvolution: RelaxedPositionLayer {}

/// Translation-relaxed steerable convolution (Wang, Walters and Yu 2022, eq. 8; reference code
/// `Relaxed_TR_SteerConvNet`): the steerable coefficients depend on the output position x through a
/// rank-L factorisation,
///
///     K(x, y) = Σ_b w_b(x, y) · κ_b(y),   w_b(x, y) = Σ_l a_l(x) · c_{l,b}(y)                    (eq. 8)
///
/// with κ_b the steerable basis of `SteerableConvolution` and y the kernel offset. So the layer is L
/// steerable convolutions (one `conv2d` with their filters stacked as output channels) whose outputs are
/// mixed per output position, out[n, :, x] = Σ_l a_l(x)·conv(f, K_l)[n, :, x] + b.
///
/// - `relaxesRotation: false` (translation only): c_{l,b} is constant over y, each K_l is an exactly
///   steerable kernel; weight [L·coefficientCount, 1, 1].
/// - `relaxesRotation: true` (translation + rotation): c_{l,b}(y) varies over the kernel as in eq. 7;
///   weight [L·coefficientCount, k, k], starting constant over y (`relaxedSteerableRegularizer` applies).
///
/// a_l starts at 1/L everywhere, so a fresh layer is the steerable convolution of the mean coefficients:
/// exactly equivariant under the group's grid-exact elements and (with `.circular` padding) under shifts.
/// Shapes: input [N, inputType.channels, H_in, W_in] -> [N, outputType.channels, H, W], [H, W] fixed at
/// construction (the output size). Parameters: weight as above (bank l's coefficients drawn as a fresh
/// `SteerableConvolution`'s), combinationWeights [H, W, L] (1/L), bias on the trivial output components.
public final class RelaxedTranslationSteerableConvolution<G: PlanarGroup>: EquivariantLayer, RelaxedPositionLayer, RelaxedKernelLayer {
    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    /// c_{l,b}(y): [L·coefficientCount, k, k] (`relaxesRotation`) or [L·coefficientCount, 1, 1].
    public let weight: Parameter
    public let combinationWeights: Parameter
    public let bias: Parameter?
    public let expansion: SteerableFilterExpansion<G>
    public let relaxesRotation: Bool
    public let stride: PerAxis, padding: PerAxis, dilation: PerAxis
    public let paddingMode: PaddingMode
    let biasExpansion: Tensor?

    public init(inputType: FieldType<G>, outputType: FieldType<G>, kernelSize: some PerAxisConvertible, bankCount: Int,
                height: Int, width: Int, relaxesRotation: Bool = false, stride: some PerAxisConvertible = 1,
                padding: some PerAxisConvertible = 0, dilation: some PerAxisConvertible = 1, bias: Bool = true,
                paddingMode: PaddingMode = .zeros, basisSettings: SteerableBasisSettings? = nil, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        let kernelSize = kernelSize.squareKernelSide("RelaxedTranslationSteerableConvolution")
        requireArgument(bankCount >= 1 && kernelSize >= 1 && height >= 1 && width >= 1, "RelaxedTranslationSteerableConvolution",
                        "needs bankCount (\(bankCount)), kernelSize (\(kernelSize)) and size \(height)×\(width) >= 1")
        (self.inputType, self.outputType, self.relaxesRotation) = (inputType, outputType, relaxesRotation)
        (self.stride, self.padding, self.dilation, self.paddingMode) = (stride.perAxis, padding.perAxis, dilation.perAxis, paddingMode)
        expansion = SteerableFilterExpansion(inputType: inputType, outputType: outputType, kernelSize: kernelSize, settings: basisSettings)
        let banks = (0..<bankCount).map { _ in
            SteerableConvolution(inputType: inputType, outputType: outputType, kernelSize: kernelSize, bias: false,
                                 basisSettings: basisSettings, dtype: dtype, using: &generator).weight.value
        }
        let extent = relaxesRotation ? kernelSize : 1
        let coefficients = concatenate(banks, axis: 0).reshaped([-1, 1, 1])
        weight = Parameter(coefficients.expanded(to: [coefficients.shape[0], extent, extent]))
        combinationWeights = Parameter(Tensor.full([height, width, bankCount], value: 1 / Double(bankCount), dtype: dtype))
        let trivial = trivialComponentExpansion(outputType, dtype: dtype)
        biasExpansion = bias && trivial.shape[1] > 0 ? trivial : nil
        self.bias = biasExpansion.map { Parameter(Tensor.zeros([$0.shape[1]], dtype: dtype)) }
    }

    /// L, the rank of the position dependence.
    public var bankCount: Int { combinationWeights.shape[2] }

    /// The L steerable filters stacked as output channels: [L·outputType.channels, inputType.channels, k, k].
    public var bankFilters: Tensor {
        let (count, k) = (expansion.coefficientCount, expansion.kernelSize)
        let filters = (0..<bankCount).map { l -> Tensor in
            let coefficients = weight.value.slice(axis: 0, (l * count)..<((l + 1) * count))
            return relaxesRotation ? expansion.positionFilter(coefficients) : expansion.filter(coefficients.reshaped([count]))
        }
        return concatenate(filters, axis: 0).reshaped([bankCount * outputType.channels, inputType.channels, k, k])
    }

    /// The bias per output channel [outputType.channels], or nil.
    public var expandedBias: Tensor? {
        guard let bias, let biasExpansion else { return nil }
        return matmul(biasExpansion, bias.value.reshaped([-1, 1])).reshaped([-1])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "RelaxedTranslationSteerableConvolution")
        let stacked = conv2d(input, bankFilters, stride: stride, padding: padding, dilation: dilation, paddingMode: paddingMode)
        let mixed = mixPerPosition(stacked, banks: bankCount, weights: combinationWeights.value, "RelaxedTranslationSteerableConvolution")
        guard let bias = expandedBias else { return mixed }
        return mixed + bias.reshaped([-1, 1, 1])
    }
}

/// Σ_l a_l(x)·stacked_l(x): `stacked` [N, L·C, (S,) H, W] (bank-major channels), weights a [H, W, L]
/// -> [N, C, (S,) H, W]. Stops naming `operation` when the spatial size differs from the weights'.
func mixPerPosition(_ stacked: Tensor, banks: Int, weights: Tensor, _ operation: String) -> Tensor {
    let (height, width) = (weights.shape[0], weights.shape[1])
    requireArgument(stacked.rank >= 4 && Array(stacked.shape.suffix(2)) == [height, width] && stacked.shape[1] % banks == 0, operation,
                    "combination weights are \(weights.shape) but the stacked bank outputs are \(stacked.shape)")
    let middle = Array(stacked.shape.dropFirst(2).dropLast(2))
    let split = [stacked.shape[0], banks, stacked.shape[1] / banks] + middle + [height, width]
    let laidOut = weights.permuted([2, 0, 1]).reshaped([1, banks, 1] + middle.map { _ in 1 } + [height, width])
    return (stacked.reshaped(split) * laidOut).sum(axis: 1)
}
