import Orbit

/// E(2)-steerable convolution (Weiler and Cesa 2019; escnn `R2Conv`): the filter between an input and
/// an output field is a learned combination of the equivariant kernel basis for their representations,
///
///     K(x) = Σ_b w_b · κ_b(x),   κ_b(g·x) = ρ_out(g) κ_b(x) ρ_in(g)ᵀ
///
/// so the layer is equivariant by construction. It learns only the coefficients w, expands them with a
/// matmul against the constant basis into an OIHW filter, and calls the one `conv2d` (STYLE N4).
///
/// Shapes: input [N, inputType.channels, H, W] -> [N, outputType.channels, H', W']. Parameters: one
/// coefficient tensor [outputFields, inputFields, basisCount] per pair of representations
/// (`blocks.<n>.weight`), and a bias on the trivial components of the output fields only (any other
/// bias would break equivariance). Initialization: coefficients N(0, 2/fanIn) with fanIn the number of
/// coefficients feeding an output field (a He-style variance for the expanded filter, as escnn's
/// generalized He init), bias zero.
public final class SteerableConvolution<G: PlanarGroup>: Layer {
    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    public let blocks: [SteerableBlock<G>]
    public let bias: Parameter?
    public let kernelSize: Int
    public let stride: PerAxis, padding: PerAxis, dilation: PerAxis
    public let paddingMode: PaddingMode
    /// Channel orders: the filter is assembled with fields grouped by representation, then gathered
    /// back into the field types' own order (nil when they already agree).
    let outputChannelOrder: [Int]?, inputChannelOrder: [Int]?
    /// [outputChannels, trivial components]: where each bias value goes.
    let biasExpansion: Tensor?

    public init(inputType: FieldType<G>, outputType: FieldType<G>, kernelSize: Int, stride: PerAxis = 1, padding: PerAxis = 0,
                dilation: PerAxis = 1, bias: Bool = true, paddingMode: PaddingMode = .zeros, basisSettings: SteerableBasisSettings? = nil,
                dtype: DType = .float32, using generator: inout RandomGenerator) {
        (self.inputType, self.outputType, self.kernelSize) = (inputType, outputType, kernelSize)
        (self.stride, self.padding, self.dilation, self.paddingMode) = (stride, padding, dilation, paddingMode)
        let outputRuns = RepresentationRuns(outputType), inputRuns = RepresentationRuns(inputType)
        var blocks: [SteerableBlock<G>] = []
        for (outputIndex, output) in outputRuns.representations.enumerated() {
            let bases = inputRuns.representations.map {
                SteerableKernelBasis(group: inputType.group, input: $0, output: output, kernelSize: kernelSize, settings: basisSettings)
            }
            let fanIn = zip(bases, inputRuns.fields).reduce(0) { $0 + $1.0.count * $1.1.count }
            for (inputIndex, basis) in bases.enumerated() where basis.count > 0 {
                blocks.append(SteerableBlock(basis: basis, outputRun: outputIndex, inputRun: inputIndex,
                                             outputFields: outputRuns.fields[outputIndex].count,
                                             inputFields: inputRuns.fields[inputIndex].count,
                                             standardDeviation: (2 / Double(max(1, fanIn))).squareRoot(),
                                             dtype: dtype, using: &generator))
            }
        }
        self.blocks = blocks
        outputChannelOrder = outputRuns.channelOrder
        inputChannelOrder = inputRuns.channelOrder
        let expansion = trivialComponentExpansion(outputType, dtype: dtype)
        biasExpansion = bias && expansion.shape[1] > 0 ? expansion : nil
        self.bias = biasExpansion.map { Parameter(Tensor.zeros([$0.shape[1]], dtype: dtype)) }
    }

    /// The expanded OIHW filter [outputType.channels, inputType.channels, k, k] (differentiable).
    public var filter: Tensor {
        let outputRuns = RepresentationRuns(outputType), inputRuns = RepresentationRuns(inputType)
        let dtype = blocks.first?.weight.dtype ?? .float32
        let rows = outputRuns.representations.indices.map { outputIndex -> Tensor in
            let pieces = inputRuns.representations.indices.map { inputIndex -> Tensor in
                if let block = blocks.first(where: { $0.outputRun == outputIndex && $0.inputRun == inputIndex }) {
                    return block.basis.expand(block.weight.value)
                }
                return Tensor.zeros([outputRuns.channels(outputIndex), inputRuns.channels(inputIndex), kernelSize, kernelSize], dtype: dtype)
            }
            return pieces.count == 1 ? pieces[0] : concatenate(pieces, axis: 1)
        }
        var filter = rows.count == 1 ? rows[0] : concatenate(rows, axis: 0)
        if let outputChannelOrder { filter = filter.indexSelect(axis: 0, outputChannelOrder) }
        if let inputChannelOrder { filter = filter.indexSelect(axis: 1, inputChannelOrder) }
        return filter
    }

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

/// The coefficients between all fields of one output representation and all fields of one input
/// representation: weight [outputFields, inputFields, basisCount].
public final class SteerableBlock<G: PlanarGroup>: Module {
    public let weight: Parameter
    public let basis: SteerableKernelBasis<G>
    let outputRun: Int, inputRun: Int

    init(basis: SteerableKernelBasis<G>, outputRun: Int, inputRun: Int, outputFields: Int, inputFields: Int,
         standardDeviation: Double, dtype: DType, using generator: inout RandomGenerator) {
        (self.basis, self.outputRun, self.inputRun) = (basis, outputRun, inputRun)
        weight = Parameter(Tensor.randomNormal([outputFields, inputFields, basis.count], standardDeviation: standardDeviation,
                                               dtype: dtype, using: &generator))
    }

    public var namedChildren: [(name: String, value: Any)] { [("weight", weight)] }
}

/// A field type's fields grouped by representation (in order of first appearance).
struct RepresentationRuns<G: PlanarGroup> {
    var representations: [Representation<G>] = []
    /// Field indices per representation.
    var fields: [[Int]] = []
    /// Gathering the grouped layout's channels by this gives the field type's own order (nil: same).
    var channelOrder: [Int]?

    init(_ type: FieldType<G>) {
        for (field, representation) in type.representations.enumerated() {
            if let index = representations.firstIndex(where: { $0.name == representation.name && $0.dimension == representation.dimension }) {
                fields[index].append(field)
            } else {
                representations.append(representation)
                fields.append([field])
            }
        }
        let offsets = type.representations.reduce(into: [0]) { $0.append($0.last! + $1.dimension) }
        var grouped: [Int] = []   // grouped position -> original channel
        for run in fields { for field in run { grouped += Array(offsets[field]..<offsets[field + 1]) } }
        var order = [Int](repeating: 0, count: grouped.count)
        for (position, channel) in grouped.enumerated() { order[channel] = position }
        channelOrder = order == Array(0..<order.count) ? nil : order
    }

    func channels(_ run: Int) -> Int { fields[run].count * representations[run].dimension }
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
