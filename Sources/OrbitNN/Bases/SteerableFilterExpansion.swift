import Orbit

/// The steerable filters between two field types that may mix representations: one
/// `SteerableKernelBasis` per pair of distinct (output, input) representations, a flat vector of
/// learnable coefficients, and `filter(_:)` to build the OIHW filter for `conv2d` (escnn's
/// `BlocksBasisExpansion`, one block per pair of representation kinds).
///
/// Coefficients are laid out block by block, in the order of `blocks`; inside a block as
/// [blockOutputFields, blockInputFields, basis.count]. For homogeneous field types there is one block
/// and `filter` is exactly `basis.expand`.
public struct SteerableFilterExpansion<G: PlanarGroup>: Sendable {
    /// The fields of one output representation and one input representation, and their basis.
    public struct Block: Sendable {
        /// Indices of the output fields (into `outputType.representations`) of this block, ascending.
        public let outputFields: [Int]
        public let inputFields: [Int]
        public let basis: SteerableKernelBasis<G>
        /// Where this block's coefficients sit in the flat coefficient vector.
        public let coefficients: Range<Int>
    }

    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    public let kernelSize: Int
    public let blocks: [Block]
    /// Gathers that put the kind-grouped channels back into field order (nil when already in order).
    private let outputOrder: [Int]?
    private let inputOrder: [Int]?

    /// The number of learnable coefficients: Σ over pairs of fields of their basis size.
    public var coefficientCount: Int { blocks.last?.coefficients.upperBound ?? 0 }

    public init(inputType: FieldType<G>, outputType: FieldType<G>, kernelSize: Int, settings: SteerableBasisSettings? = nil) {
        (self.inputType, self.outputType, self.kernelSize) = (inputType, outputType, kernelSize)
        let outputKinds = groupedByKind(outputType.representations), inputKinds = groupedByKind(inputType.representations)
        var blocks: [Block] = []
        var offset = 0
        for outputFields in outputKinds {
            for inputFields in inputKinds {
                let basis = SteerableKernelBasis(group: inputType.group, input: inputType.representations[inputFields[0]],
                                                 output: outputType.representations[outputFields[0]],
                                                 kernelSize: kernelSize, settings: settings)
                let size = outputFields.count * inputFields.count * basis.count
                blocks.append(Block(outputFields: outputFields, inputFields: inputFields, basis: basis,
                                    coefficients: offset..<(offset + size)))
                offset += size
            }
        }
        self.blocks = blocks
        outputOrder = fieldOrder(outputType.representations, outputKinds)
        inputOrder = fieldOrder(inputType.representations, inputKinds)
    }

    /// The filter [outputType.channels, inputType.channels, k, k] from coefficients [coefficientCount]:
    /// each block expanded with one matmul against its basis, the blocks concatenated, and the channels
    /// gathered back into field order. Differentiable in the coefficients.
    public func filter(_ coefficients: Tensor) -> Tensor {
        requireArgument(coefficients.shape == [coefficientCount], "SteerableFilterExpansion.filter",
                        "coefficients must be [\(coefficientCount)], got \(coefficients.shape)")
        return assembled(dtype: coefficients.dtype) { block in
            let shape = [block.outputFields.count, block.inputFields.count, block.basis.count]
            return block.basis.expand(coefficients.slice(axis: 0, block.coefficients).reshaped(shape))
        }
    }

    /// The blocks' filters, each [blockOutputFields·dimOut, blockInputFields·dimIn, k, k] from
    /// `expandBlock` (zeros for a block without coefficients), concatenated and gathered back into
    /// field order: [outputType.channels, inputType.channels, k, k].
    func assembled(dtype: DType, _ expandBlock: (Block) -> Tensor) -> Tensor {
        let inputKindCount = blocks.count / max(1, Set(blocks.map(\.outputFields)).count)
        var rows: [Tensor] = []
        for start in stride(from: 0, to: blocks.count, by: inputKindCount) {
            let row = blocks[start..<(start + inputKindCount)].map { block -> Tensor in
                guard !block.coefficients.isEmpty else {
                    let (dOut, dIn) = (block.basis.outputRepresentation.dimension, block.basis.inputRepresentation.dimension)
                    return Tensor.zeros([block.outputFields.count * dOut, block.inputFields.count * dIn, kernelSize, kernelSize], dtype: dtype)
                }
                return expandBlock(block)
            }
            rows.append(row.count == 1 ? row[0] : concatenate(row, axis: 1))
        }
        var filter = rows.count == 1 ? rows[0] : concatenate(rows, axis: 0)
        if let outputOrder { filter = filter.indexSelect(axis: 0, outputOrder) }
        if let inputOrder { filter = filter.indexSelect(axis: 1, inputOrder) }
        return filter
    }
}

/// Field indices grouped by representation (equal irreducible components and change of basis), the
/// groups in order of first appearance.
private func groupedByKind<G: PlanarGroup>(_ representations: [Representation<G>]) -> [[Int]] {
    var kinds: [(key: RepresentationKey, fields: [Int])] = []
    for (field, representation) in representations.enumerated() {
        let key = RepresentationKey(components: representation.irreducibleComponents, changeOfBasis: representation.changeOfBasis)
        if let index = kinds.firstIndex(where: { $0.key == key }) { kinds[index].fields.append(field) } else { kinds.append((key, [field])) }
    }
    return kinds.map(\.fields)
}

private struct RepresentationKey: Hashable {
    let components: [IrreducibleRepresentation]
    let changeOfBasis: [Double]
}

/// For each channel in field order, its position among the kind-grouped channels; nil if they agree.
private func fieldOrder<G: PlanarGroup>(_ representations: [Representation<G>], _ kinds: [[Int]]) -> [Int]? {
    let offsets = representations.reduce(into: [0]) { $0.append($0.last! + $1.dimension) }
    let grouped = kinds.flatMap { $0 }.flatMap { field in Array(offsets[field]..<offsets[field + 1]) }
    var order = [Int](repeating: 0, count: grouped.count)
    for (position, channel) in grouped.enumerated() { order[channel] = position }
    return order == Array(order.indices) ? nil : order
}
