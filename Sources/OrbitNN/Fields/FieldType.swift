import Orbit

/// How the channels of a feature map transform: a list of fields, each with a representation of the
/// group (escnn `FieldType`). Channels are the fields' components in order, so a feature map
/// [N, channels, H, W] holds `representations.count` fields of sizes `representations[i].dimension`.
///
/// g acts on a feature map f by (g·f)(x) = ρ(g) f(g⁻¹x): the channels by the block-diagonal ρ(g),
/// the plane by the group's planar action (exact for quarter turns and flips).
public struct FieldType<G: PlanarGroup>: Sendable, CustomStringConvertible {
    public let group: G
    public let representations: [Representation<G>]
    /// Σ dimensions of the representations.
    public let channels: Int

    public init(group: G, representations: [Representation<G>]) {
        requireArgument(!representations.isEmpty, "FieldType", "needs at least one field")
        self.group = group
        self.representations = representations
        channels = representations.reduce(0) { $0 + $1.dimension }
    }

    /// `count` fields of one representation: FieldType(group: c36, c36.regularRepresentation, count: 32).
    public init(group: G, _ representation: Representation<G>, count: Int) {
        requireArgument(count >= 1, "FieldType", "needs at least one field, got count \(count)")
        self.init(group: group, representations: Array(repeating: representation, count: count))
    }

    /// The direct sum of the fields' representations (channels × channels).
    public var representation: Representation<G> { .directSum(representations, name: description) }

    /// Whether every field has the same representation (by name and dimension).
    public var isHomogeneous: Bool {
        representations.allSatisfy { $0.name == representations[0].name && $0.dimension == representations[0].dimension }
    }

    /// "C4[10×irrep(1)]", "C36[32×regular]", "D4[2×regular, 1×trivial]".
    public var description: String {
        var runs: [(name: String, count: Int)] = []
        for representation in representations {
            if runs.last?.name == representation.name { runs[runs.count - 1].count += 1 } else { runs.append((representation.name, 1)) }
        }
        return "\(group.name)[\(runs.map { "\($0.count)×\($0.name)" }.joined(separator: ", "))]"
    }

    /// ρ(g) of all channels: block diagonal, channels × channels, row-major.
    public func representationMatrix(_ element: G.Element) -> [Double] { representation.matrix(element) }

    /// For fields that all transform by permutations, the channel indices to gather so that
    /// gathered[c] = x[source[c]] is ρ(g)·x; nil otherwise.
    public func channelPermutation(_ element: G.Element) -> [Int]? {
        var source = [Int](repeating: 0, count: channels)
        var offset = 0
        for representation in representations {
            guard let permutation = representation.permutation(element) else { return nil }
            for (h, image) in permutation.enumerated() { source[offset + image] = offset + h }
            offset += representation.dimension
        }
        return source
    }

    /// g acting on a feature map [N, channels, H, W]: (g·x)(p) = ρ(g) x(g⁻¹p). Permutation fields
    /// (trivial, regular) move channels with a gather; others with a matmul over the channel axis.
    /// The plane goes through `transformSpatially`: exact for quarter turns and flips, bilinear
    /// (approximate) otherwise. Differentiable in x.
    public func transform(_ x: Tensor, by element: G.Element) -> Tensor {
        check(x, "FieldType.transform")
        let spatial = transformSpatially(x, by: group.planarAction(of: element))
        if let source = channelPermutation(element) {
            return source.enumerated().allSatisfy { $0.offset == $0.element } ? spatial : spatial.indexSelect(axis: 1, source)
        }
        let (batch, height, width) = (x.shape[0], x.shape[2], x.shape[3])
        let matrix = Tensor(representationMatrix(element), shape: [channels, channels], dtype: x.dtype)
        return matmul(matrix, spatial.reshaped([batch, channels, height * width])).reshaped(x.shape)
    }

    /// Stops with a message naming `operation`, the expected channel count and field type, and the
    /// shape it got, unless x is [N, channels, H, W].
    public func check(_ x: Tensor, _ operation: String) {
        requireArgument(x.rank == 4 && x.shape[1] == channels, operation,
                        "expected a feature map [N, \(channels), H, W] of field type \(description), got shape \(x.shape)")
    }
}
