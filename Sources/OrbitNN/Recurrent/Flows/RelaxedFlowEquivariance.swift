import Orbit

// How far a relaxed flow-equivariant cell is from a FERNN: a soft-equivariance regulariser for the loss
// and two measurements (one data-free, one under the flow action) for reports.

/// The soft flow-equivariance regulariser of relaxed FERNN cells: the squared deviation of each
/// velocity's combination weights and flow correction from their mean over V, summed over `cells`,
///
///     R = α Σ_cells [ Σ_l Σ_ν (a_l(ν) - ā_l)² + Σ_ν ‖K_ν - K̄‖² ],   ā_l = mean_ν a_l(ν),  K̄ = mean_ν K_ν
///
/// (the K term only for cells with a flow correction). R is zero exactly when a and K do not depend on ν,
/// where the cell is a FERNN and exactly flow equivariant, and grows with their spread. It is the
/// relaxed group convolution's regulariser (Wang, Walters and Yu 2022, section 3.3; Docs/References.md
/// §A5: α Σ_l Σ_{g,h} |w_l(g) - w_l(h)|) over V instead of G, with squares for absolute values, since
/// Σ_{ν,ν'} (x_ν - x_ν')² = 2|V| Σ_ν (x_ν - x̄)²: smooth, where the absolute values have their kink at
/// the equivariant point a fresh cell starts from. The paper's form over the coefficients is
/// `relaxedGroupRegularizer(cells, alpha:, pairs: .all)`. Returns a scalar (rank 0) of the cells' dtype,
/// differentiable in every a and K.
public func relaxedFlowRegularizer(_ cells: [RelaxedFlowEquivariantRNNCell], alpha: Double) -> Tensor {
    requireArgument(!cells.isEmpty, "relaxedFlowRegularizer", "needs at least one cell")
    var total = Tensor.zeros([], dtype: cells[0].combinationWeights.value.dtype)
    for cell in cells {
        // a [L, |V|]: deviation along the velocity axis 1; K [|V|, 1, 3, 3]: along axis 0.
        for (values, axis) in [(cell.combinationWeights.value, 1)] + (cell.flowCorrections.map { [($0.value, 0)] } ?? []) {
            let deviation = values - values.mean(axis: axis, keepDimensions: true)
            total = total + (deviation * deviation).sum()
        }
    }
    return total * alpha
}

extension RelaxedFlowEquivariantRNNCell {
    /// The relative spread of the velocity kernels W_ν = Σ_l a_l(ν) W_l over V, a data-free measure of
    /// the learned flow-symmetry breaking,
    ///
    ///     E_W = √( Σ_ν ‖W_ν - W̄‖² / Σ_ν ‖W_ν‖² ),   W̄ = mean_ν W_ν   (Frobenius norms)
    ///
    /// In [0, 1]: 0 when a does not depend on ν, 1 when the W_ν average to zero. It ignores the flow
    /// corrections K; `learnedFlowEquivarianceError` sees those too.
    public var kernelSpread: Double {
        let kernels = velocityKernels.reshaped([flows.count, -1])
        let deviation = kernels - kernels.mean(axis: 0, keepDimensions: true)
        let size = (kernels * kernels).sum().item
        return size > 0 ? ((deviation * deviation).sum().item / size).squareRoot() : 0
    }
}

/// The learned flow-equivariance error of a translation-flow cell on a sequence: the cell reads `frames`
/// and the same frames flowing with velocity μ (frame t rolled by μ·t on the torus), and each state slot
/// is compared with the one Theorem 4.1 (Keller 2025, Docs/References.md §F1) says it must equal,
/// s'_t[ν] = roll_{μt}(s_t[ν - μ]), over the slots whose ν - μ is in V:
///
///     E = √( Σ_{μ,t,ν} ‖s'_t[ν] - roll_{μt} s_t[ν - μ]‖² / Σ_{μ,t,ν} ‖roll_{μt} s_t[ν - μ]‖² )
///
/// μ over `velocities` (default: every nonzero ν ∈ V), t over the frames, s_t the state after frame t.
/// Without V-mixing the slots evolve independently, so E is at rounding level for a FERNN on any frame
/// size and any V, and for `RelaxedFlowEquivariantRNNCell` with velocity-independent a and K; it grows
/// with their spread. Frames [N, T, C, H, W] of the cell's dtype; `flows` is the cell's velocity set
/// (its states [N, |V|, C, H, W]). Each μ costs one unroll, plus one for the frames as given.
public func learnedFlowEquivarianceError<Cell: LiftedRecurrentCell>(of cell: Cell, flows: TranslationFlows, frames: Tensor,
                                                                    velocities: [[Int]]? = nil) -> Double {
    requireArgument(frames.rank == 5 && frames.shape[1] >= 1, "learnedFlowEquivarianceError",
                    "expected frames [N, T, C, H, W] with T >= 1, got \(frames.shape)")
    let shifts = velocities ?? flows.velocities.filter { $0 != [0, 0] }
    func states(_ sequence: Tensor) -> [Tensor] {
        var state = cell.zeroState(for: sequence.slice(axis: 1, index: 0))
        return (0..<sequence.shape[1]).map { t in state = cell(sequence.slice(axis: 1, index: t), state: state).state; return state }
    }
    let original = states(frames)
    requireArgument(original[0].rank == 5 && original[0].shape[1] == flows.count, "learnedFlowEquivarianceError",
                    "the cell's state \(original[0].shape) is not lifted over the \(flows.count) velocities of \(flows)")
    var (error, norm) = (0.0, 0.0)
    for μ in shifts {
        // Slots ν whose source ν - μ is in V, as (ν's index, source index).
        let pairs = flows.velocities.enumerated().compactMap { index, ν in
            flows.index(of: [ν[0] - μ[0], ν[1] - μ[1]]).map { (index, $0) }
        }
        requireArgument(μ.count == 2 && !pairs.isEmpty, "learnedFlowEquivarianceError",
                        "velocity \(μ) must be (dy, dx) with ν - μ in V for some ν ∈ V (\(flows))")
        let flowed = stack((0..<frames.shape[1]).map { t in
            frames.slice(axis: 1, index: t).rolled(shifts: [μ[0] * t, μ[1] * t], axes: [2, 3])
        }, axis: 1)
        for (t, state) in states(flowed).enumerated() {
            let expected = original[t].indexSelect(axis: 1, pairs.map { $0.1 }).rolled(shifts: [μ[0] * t, μ[1] * t], axes: [3, 4])
            let difference = state.indexSelect(axis: 1, pairs.map { $0.0 }) - expected
            error += (difference * difference).sum().item
            norm += (expected * expected).sum().item
        }
    }
    return norm > 0 ? (error / norm).squareRoot() : (error == 0 ? 0 : .infinity)
}
