import Orbit

/// E(2)-steerable convolution (Weiler and Cesa 2019; escnn `R2Conv`): the filter between an input and
/// an output field is a learned combination of the equivariant kernel basis for their representations,
///
///     K(x) = Σ_b w_b · κ_b(x),   κ_b(g·x) = ρ_out(g) κ_b(x) ρ_in(g)ᵀ
///
/// so the layer is equivariant by construction. It learns only the coefficients w, expands them with a
/// matmul against the constant basis into an OIHW filter, and calls the one `conv2d` (STYLE N4).
///
/// Shapes: input [N, inputType.channels, H, W] -> [N, outputType.channels, H', W']. Parameters: the
/// basis coefficients of every pair of fields (`weight`, laid out by `SteerableFilterExpansion`), and a
/// bias on the trivial components of the output fields only (any other bias would break equivariance). Initialization: coefficients N(0, 2/fanIn) with fanIn the number of
/// coefficients feeding an output field (a He-style variance for the expanded filter, as escnn's
/// generalized He init), bias zero.
public final class SteerableConvolution<G: PlanarGroup>: EquivariantLayer, ExportableConvolution {
    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    /// The basis coefficients, block by block as `expansion.blocks` lays them out: [coefficientCount].
    public let weight: Parameter
    public let bias: Parameter?
    public let expansion: SteerableFilterExpansion<G>
    public let stride: PerAxis, padding: PerAxis, dilation: PerAxis
    public let paddingMode: PaddingMode
    /// [outputChannels, trivial components]: where each bias value goes.
    let biasExpansion: Tensor?

    public init(inputType: FieldType<G>, outputType: FieldType<G>, kernelSize: some PerAxisConvertible,
                stride: some PerAxisConvertible = 1, padding: some PerAxisConvertible = 0,
                dilation: some PerAxisConvertible = 1, bias: Bool = true, paddingMode: PaddingMode = .zeros,
                basisSettings: SteerableBasisSettings? = nil, dtype: DType = .float32, using generator: inout RandomGenerator) {
        let kernelSize = kernelSize.squareKernelSide("SteerableConvolution")
        (self.inputType, self.outputType) = (inputType, outputType)
        (self.stride, self.padding, self.dilation, self.paddingMode) = (stride.perAxis, padding.perAxis, dilation.perAxis, paddingMode)
        expansion = SteerableFilterExpansion(inputType: inputType, outputType: outputType, kernelSize: kernelSize, settings: basisSettings)
        // fanIn of an output field: the coefficients that feed it, summed over the blocks of its row.
        var fanIn: [[Int]: Int] = [:]
        for block in expansion.blocks { fanIn[block.outputFields, default: 0] += block.inputFields.count * block.basis.count }
        let pieces = expansion.blocks.filter { !$0.coefficients.isEmpty }.map { block in
            Tensor.randomNormal([block.coefficients.count], standardDeviation: (2 / Double(max(1, fanIn[block.outputFields]!))).squareRoot(),
                                dtype: dtype, using: &generator)
        }
        weight = Parameter(pieces.isEmpty ? Tensor.zeros([0], dtype: dtype) : concatenate(pieces, axis: 0))
        let trivial = trivialComponentExpansion(outputType, dtype: dtype)
        biasExpansion = bias && trivial.shape[1] > 0 ? trivial : nil
        self.bias = biasExpansion.map { Parameter(Tensor.zeros([$0.shape[1]], dtype: dtype)) }
    }

    /// The expanded OIHW filter [outputType.channels, inputType.channels, k, k] (differentiable).
    public var filter: Tensor { expansion.filter(weight.value) }

    /// The bias per output channel [outputType.channels], or nil.
    public var expandedBias: Tensor? {
        guard let bias, let biasExpansion else { return nil }
        return matmul(biasExpansion, bias.value.reshaped([-1, 1])).reshaped([-1])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "SteerableConvolution")
        return convolveWithBias(input, filter, expandedBias, stride: stride, padding: padding, dilation: dilation, paddingMode: paddingMode)
    }
}

/// [channels, trivial components]: column t holds the change-of-basis column of the t-th trivial
/// irreducible component among the output fields (for a regular field, 1/√|G| on each of its channels).
func trivialComponentExpansion<G: PlanarGroup>(_ type: FieldType<G>, dtype: DType) -> Tensor {
    var columns: [[Double]] = []
    var offset = 0
    for representation in type.representations {
        let dimension = representation.dimension
        var componentOffset = 0
        for component in representation.irreducibleComponents {
            if component.frequency == 0 && component.reflectionFrequency == 0 {
                var column = [Double](repeating: 0, count: type.channels)
                for row in 0..<dimension { column[offset + row] = representation.changeOfBasis[row * dimension + componentOffset] }
                columns.append(column)
            }
            componentOffset += component.dimension
        }
        offset += dimension
    }
    let values = (0..<type.channels).flatMap { row in columns.map { $0[row] } }
    return Tensor(values, shape: [type.channels, columns.count], dtype: dtype)
}
