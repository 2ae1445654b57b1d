import Orbit

// The soft-equivariance regularizers of Wang, Walters and Yu 2022, section 3.3: each is zero exactly
// when the relaxed weights are constant over the group (so the layers are equivariant) and grows with
// their variation. They return a scalar to add to the loss; nothing is hidden in a layer's forward
// (STYLE N5).

/// Which form of a soft-equivariance regularizer to compute.
public enum SoftEquivarianceForm: Sendable {
    /// α·R, R a sum of absolute differences: section 3.3 as the paper writes it, linear in α.
    case paper
    /// (α·R̄)², R̄ built from means of absolute differences: what the reference code's training loop
    /// adds (`MSELoss(model.get_weight_constraint(), 0)` squares α·R̄). With α = 1e-5 and R̄ ~ 0.1 it is
    /// ~1e-12, numerically negligible; offered to reproduce the reference, not as a recommendation.
    case referenceSquared
}

/// Which pairs of group elements a relaxed group convolution's regularizer compares.
public enum GroupElementPairs: Sendable {
    /// Neighbours in the group's element order: for C_N, g and g·r with r the rotation by 2π/N
    /// (cyclically, r^(N-1) and r⁰ included); for scales, neighbouring scales.
    case adjacent
    /// Every ordered pair (g, h): the paper's Σ_{g,h∈G} |w_l(g) - w_l(h)| literally.
    case all
}

/// The regularizer for relaxed group convolutions (section 3.3), summed over `layers`:
///
///     .paper:            α Σ_layers Σ_l Σ_(g,h) |w_l(g) - w_l(h)|
///     .referenceSquared: (α Σ_layers mean_(l,(g,h)) |w_l(g) - w_l(h)|)²
///
/// over the pairs `pairs` selects; w = each layer's `combinationWeights` [L, elements]. The reference
/// code has no regularizer for its rotation RGroup layers; `.referenceSquared` applies its convention.
/// Returns a scalar (rank 0), differentiable in the combination weights.
public func relaxedGroupRegularizer(_ layers: [any RelaxedCombinationLayer], alpha: Double, pairs: GroupElementPairs = .adjacent,
                                    form: SoftEquivarianceForm = .paper) -> Tensor {
    requireArgument(!layers.isEmpty, "relaxedGroupRegularizer", "needs at least one layer")
    let differences = layers.compactMap { layer -> Tensor? in
        let w = layer.combinationWeights.value
        let (banks, elements) = (w.shape[0], w.shape[1])
        guard elements > 1 else { return nil }
        switch pairs {
        case .all:
            return w.reshaped([banks, elements, 1]) - w.reshaped([banks, 1, elements])
        case .adjacent where layer.combinationAxisIsCyclic:
            return w.rolled(shifts: [-1], axes: [1]) - w
        case .adjacent:
            return w.slice(axis: 1, 1..<elements) - w.slice(axis: 1, 0..<(elements - 1))
        }
    }
    return penalty(differences, alpha: alpha, form: form, like: layers[0].combinationWeights.value)
}

/// The regularizer for position-relaxed layers (`RelaxedTranslationConvolution`,
/// `RelaxedTranslationSteerableConvolution`, `RelaxedTranslationScaleConvolution`; section 3.3 for translations; reference
/// `get_weight_constraint` of `Relaxed_ConvNet`): differences of the combination weights w [H, W, L]
/// between neighbouring positions along H and along W,
///
///     .paper:            α Σ_layers (Σ |w[i+1, j] - w[i, j]| + Σ |w[i, j+1] - w[i, j]|)
///     .referenceSquared: (α (mean |Δ_H w| + mean |Δ_W w|))², means over all layers stacked
///
/// (the reference stacks the layers' weights, so `.referenceSquared` needs them of equal shape).
/// Returns a scalar (rank 0).
public func relaxedTranslationRegularizer(_ layers: [any RelaxedPositionLayer], alpha: Double,
                                          form: SoftEquivarianceForm = .paper) -> Tensor {
    requireArgument(!layers.isEmpty, "relaxedTranslationRegularizer", "needs at least one layer")
    let shapes = layers.map(\.combinationWeights.shape)
    requireArgument(form == .paper || shapes.allSatisfy { $0 == shapes[0] }, "relaxedTranslationRegularizer",
                    "the reference form stacks the combination weights, which needs equal shapes; got \(shapes)")
    let alongHeight = layers.compactMap { layer -> Tensor? in
        let (w, height) = (layer.combinationWeights.value, layer.combinationWeights.shape[0])
        return height > 1 ? w.slice(axis: 0, 1..<height) - w.slice(axis: 0, 0..<(height - 1)) : nil
    }
    let alongWidth = layers.compactMap { layer -> Tensor? in
        let (w, width) = (layer.combinationWeights.value, layer.combinationWeights.shape[1])
        return width > 1 ? w.slice(axis: 1, 1..<width) - w.slice(axis: 1, 0..<(width - 1)) : nil
    }
    // Stacked along a new axis, the mean over all layers is one mean per direction.
    let differences = form == .paper ? alongHeight + alongWidth
        : [alongHeight, alongWidth].filter { !$0.isEmpty }.map { stack($0, axis: 0) }
    return penalty(differences, alpha: alpha, form: form, like: layers[0].combinationWeights.value)
}

/// A layer whose coefficients vary over the kernel positions: what `relaxedSteerableRegularizer`
/// penalises.
public protocol RelaxedKernelLayer: AnyObject {
    /// [coefficients, k, k]: each coefficient's map over the kernel positions.
    var weight: Parameter { get }
}

extension RelaxedSteerableConvolution: RelaxedKernelLayer {}

/// The regularizer for relaxed steerable convolutions (section 3.3, α(‖∂w/∂m‖ + ‖∂w/∂n‖)): differences of
/// each coefficient map w [C, k, k] between neighbouring kernel positions along rows (m) and columns (n),
///
///     .paper:            α Σ_layers (Σ |w[c, m+1, n] - w[c, m, n]| + Σ |w[c, m, n+1] - w[c, m, n]|)
///     .referenceSquared: (α Σ_layers mean_(c,p) |w_flat[c, p+1] - w_flat[c, p]|)²
///
/// The norm in the paper's form is taken as the sum of absolute values (as its other regularizers); the
/// reference code (`Relaxed_Rot_SteerConv.get_weight_constraint`) differences consecutive positions of the
/// row-major flattened kernel, which includes the non-neighbouring step from the end of one row to the
/// start of the next. Both are zero exactly when every map is constant. Returns a scalar (rank 0).
public func relaxedSteerableRegularizer(_ layers: [any RelaxedKernelLayer], alpha: Double,
                                        form: SoftEquivarianceForm = .paper) -> Tensor {
    requireArgument(!layers.isEmpty, "relaxedSteerableRegularizer", "needs at least one layer")
    let differences = layers.flatMap { layer -> [Tensor] in
        let w = layer.weight.value
        requireArgument(w.rank == 3 && w.shape[1] == w.shape[2], "relaxedSteerableRegularizer",
                        "expects coefficient maps [coefficients, k, k], got \(w.shape)")
        let (count, k) = (w.shape[0], w.shape[1])
        guard k > 1, count > 0 else { return [] }
        switch form {
        case .paper:
            return [w.slice(axis: 1, 1..<k) - w.slice(axis: 1, 0..<(k - 1)), w.slice(axis: 2, 1..<k) - w.slice(axis: 2, 0..<(k - 1))]
        case .referenceSquared:
            let flat = w.reshaped([count, k * k])
            return [flat.slice(axis: 1, 1..<(k * k)) - flat.slice(axis: 1, 0..<(k * k - 1))]
        }
    }
    return penalty(differences, alpha: alpha, form: form, like: layers[0].weight.value)
}

/// .paper: α Σ_d Σ|d|. .referenceSquared: (α Σ_d mean|d|)². A scalar of `like`'s dtype; zero when there
/// is nothing to compare.
private func penalty(_ differences: [Tensor], alpha: Double, form: SoftEquivarianceForm, like: Tensor) -> Tensor {
    var total = Tensor.zeros([], dtype: like.dtype)
    for difference in differences where difference.scalarCount > 0 {
        let magnitude = abs(difference)
        total = total + (form == .paper ? magnitude.sum() : magnitude.mean())
    }
    let scaled = total * alpha
    return form == .paper ? scaled : scaled * scaled
}
