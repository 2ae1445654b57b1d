import Orbit

/// How a relaxed steerable convolution's coefficients start.
public enum RelaxedSteerableInitialization: Sendable {
    /// The coefficients of a `SteerableConvolution` (N(0, 2/fanIn)), repeated at every kernel position:
    /// the layer starts as exactly that steerable convolution, so it is equivariant at init.
    case equivariant
    /// Independent U(±√(1/(inputFields·k²))) at every position, as the reference code's
    /// `Relaxed_Rot_SteerConv` draws them: **not** equivariant at init.
    case referenceRandom
}

/// Relaxed steerable convolution (Wang, Walters and Yu 2022, eq. 7; reference code
/// `Relaxed_Rot_SteerConv`): the coefficients of the steerable basis vary over the kernel positions,
///
///     K(x) = Σ_b w_b(x) · κ_b(x),   κ_b(g·x) = ρ_out(g) κ_b(x) ρ_in(g)ᵀ,
///
/// so coefficients constant over x give exactly the steerable kernel Σ_b w_b κ_b (equivariant), and any
/// variation over x is the relaxation, penalised by `relaxedSteerableRegularizer`. The filter is built
/// per kernel position by one batched matmul against the cached steerable basis and fed to the one
/// `conv2d`. Shapes: input [N, inputType.channels, H, W] -> [N, outputType.channels, H', W']. Parameters:
/// weight [coefficientCount, k, k] (the coefficients of `SteerableFilterExpansion`, one k×k map each);
/// bias on the trivial components of the output fields (zero at init). The reference code's bias is free
/// per channel, which breaks equivariance; this one keeps it.
public final class RelaxedSteerableConvolution<G: PlanarGroup>: EquivariantLayer, ExportableConvolution {
    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    /// The basis coefficients at every kernel position: [expansion.coefficientCount, k, k].
    public let weight: Parameter
    public let bias: Parameter?
    public let expansion: SteerableFilterExpansion<G>
    public let stride: PerAxis, padding: PerAxis, dilation: PerAxis
    public let paddingMode: PaddingMode
    let biasExpansion: Tensor?

    public init(inputType: FieldType<G>, outputType: FieldType<G>, kernelSize: some PerAxisConvertible,
                initialization: RelaxedSteerableInitialization = .equivariant, stride: some PerAxisConvertible = 1,
                padding: some PerAxisConvertible = 0, dilation: some PerAxisConvertible = 1, bias: Bool = true,
                paddingMode: PaddingMode = .zeros, basisSettings: SteerableBasisSettings? = nil, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        let kernelSize = kernelSize.squareKernelSide("RelaxedSteerableConvolution")
        (self.inputType, self.outputType) = (inputType, outputType)
        (self.stride, self.padding, self.dilation, self.paddingMode) = (stride.perAxis, padding.perAxis, dilation.perAxis, paddingMode)
        expansion = SteerableFilterExpansion(inputType: inputType, outputType: outputType, kernelSize: kernelSize, settings: basisSettings)
        let shape = [expansion.coefficientCount, kernelSize, kernelSize]
        switch initialization {
        case .equivariant:
            let steerable = SteerableConvolution(inputType: inputType, outputType: outputType, kernelSize: kernelSize, bias: false,
                                                 basisSettings: basisSettings, dtype: dtype, using: &generator)
            weight = Parameter(steerable.weight.value.reshaped([-1, 1, 1]).expanded(to: shape))
        case .referenceRandom:
            let bound = (1 / Double(inputType.representations.count * kernelSize * kernelSize)).squareRoot()
            weight = Parameter(Tensor.randomUniform(shape, lowerBound: -bound, upperBound: bound, dtype: dtype, using: &generator))
        }
        let trivial = trivialComponentExpansion(outputType, dtype: dtype)
        biasExpansion = bias && trivial.shape[1] > 0 ? trivial : nil
        self.bias = biasExpansion.map { Parameter(Tensor.zeros([$0.shape[1]], dtype: dtype)) }
    }

    /// The expanded OIHW filter [outputType.channels, inputType.channels, k, k] (differentiable).
    public var filter: Tensor { expansion.positionFilter(weight.value) }

    /// The bias per output channel [outputType.channels], or nil.
    public var expandedBias: Tensor? {
        guard let bias, let biasExpansion else { return nil }
        return matmul(biasExpansion, bias.value.reshaped([-1, 1])).reshaped([-1])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "RelaxedSteerableConvolution")
        return convolveWithBias(input, filter, expandedBias, stride: stride, padding: padding, dilation: dilation, paddingMode: paddingMode)
    }
}

extension SteerableFilterExpansion {
    /// The filter [outputType.channels, inputType.channels, k, k] from coefficients that vary over the
    /// kernel, [coefficientCount, k, k]: at position x, Σ_b w_b(x)·κ_b(x) (eq. 7). Equal to
    /// `filter(w)` when every coefficient map is the constant w. Differentiable in the coefficients.
    public func positionFilter(_ coefficients: Tensor) -> Tensor {
        requireArgument(coefficients.shape == [coefficientCount, kernelSize, kernelSize], "SteerableFilterExpansion.positionFilter",
                        "coefficients must be [\(coefficientCount), \(kernelSize), \(kernelSize)], got \(coefficients.shape)")
        return assembled(dtype: coefficients.dtype) { block in
            let shape = [block.outputFields.count, block.inputFields.count, block.basis.count, kernelSize, kernelSize]
            return block.basis.expand(positionCoefficients: coefficients.slice(axis: 0, block.coefficients).reshaped(shape))
        }
    }
}

extension SteerableKernelBasis {
    /// The filter Σ_b w[o, i, b](x)·basis[b](x) for coefficients [outputFields, inputFields, count, k, k]
    /// that vary over the kernel: [outputFields·dimOut, inputFields·dimIn, k, k]. One batched matmul over
    /// the k² positions, [k², O·I, count]·[k², count, dimOut·dimIn], then permutes.
    public func expand(positionCoefficients coefficients: Tensor) -> Tensor {
        let k = kernelSize
        requireArgument(coefficients.rank == 5 && Array(coefficients.shape.suffix(3)) == [count, k, k], "SteerableKernelBasis.expand",
                        "position coefficients must be [outputFields, inputFields, \(count), \(k), \(k)], got \(coefficients.shape)")
        let (o, i) = (coefficients.shape[0], coefficients.shape[1])
        let (dOut, dIn) = (outputRepresentation.dimension, inputRepresentation.dimension)
        guard count > 0 else { return Tensor.zeros([o * dOut, i * dIn, k, k], dtype: coefficients.dtype) }
        let basis = tensor(dtype: coefficients.dtype).reshaped([count, dOut * dIn, k * k]).permuted([2, 0, 1])  // [k², count, dOut·dIn]
        let perPosition = coefficients.reshaped([o * i, count, k * k]).permuted([2, 0, 1])                  // [k², O·I, count]
        let filter = matmul(perPosition, basis)                                                              // [k², O·I, dOut·dIn]
        // [k², O, I, dOut, dIn] -> [O, dOut, I, dIn, k²]
        return filter.reshaped([k * k, o, i, dOut, dIn]).permuted([1, 3, 2, 4, 0]).reshaped([o * dOut, i * dIn, k, k])
    }
}
