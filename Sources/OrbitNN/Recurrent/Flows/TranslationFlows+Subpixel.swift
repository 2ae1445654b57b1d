import Orbit

/// Sub-pixel translation flows: real velocities ν = (dy, dx) such as 0.5 px per step, each split as
/// ν = n + r with n the nearest whole-pixel velocity (`velocities`) and the remainder r ∈ [-½, ½]²:
///
///     Flow_ν(h) = S_r(roll_n(h)),    S_r = translate(·, by: r, interpolation)
///
/// which is exactly the shift by ν for both interpolations (a Fourier phase factors as roll times
/// remainder; bilinear weights depend on the fractional part only). A cell folds roll_n into its
/// convolution's padding as for integer flows and applies S_r to the state first (`residualMoved`).
///
/// With `.fourier`, S_r commutes with circular convolutions to rounding, so only the pointwise
/// nonlinearity breaks flow equivariance; with `.bilinear` the shift itself blurs. Docs/FlowEquivariance.md
/// ("Imperfect flows") gives both errors, measured.
///
/// ```swift
/// let flows = TranslationFlows.horizontal([-1, -0.5, 0, 0.5, 1], interpolation: .fourier)
/// let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 8, flows: flows, using: &generator)
/// ```
extension TranslationFlows {
    /// The real velocities of a sub-pixel set and the interpolation that applies their remainders.
    public struct Subpixel: Sendable, Equatable {
        /// The velocities (dy, dx) in pixels per step, in hidden-state order.
        public let velocities: [[Double]]
        public let interpolation: TranslationInterpolation
        /// velocities - their whole-pixel parts, each component in [-½, ½].
        public let remainders: [[Double]]
    }

    /// A set of real velocities (dy, dx) in pixels per step, any finite values, distinct. Whole-pixel
    /// parts round to nearest, halves away from zero (0.5 = 1 - 0.5).
    public init(velocities: [[Double]], interpolation: TranslationInterpolation) {
        requireArgument(!velocities.isEmpty && velocities.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isFinite) },
                        "TranslationFlows", "needs at least one velocity of two finite components (dy, dx), got \(velocities)")
        requireArgument(Set(velocities).count == velocities.count, "TranslationFlows", "repeated velocity in \(velocities)")
        let whole = velocities.map { $0.map { $0.rounded(.toNearestOrAwayFromZero) } }
        let remainders = zip(velocities, whole).map { velocity, part in zip(velocity, part).map { $0 - $1 } }
        self.init(wholePixelParts: whole.map { $0.map { Int($0) } },
                  subpixel: Subpixel(velocities: velocities, interpolation: interpolation, remainders: remainders))
    }

    /// Real velocities along x only, (0, dx) for each dx in order.
    public static func horizontal(_ speeds: [Double], interpolation: TranslationInterpolation) -> TranslationFlows {
        TranslationFlows(velocities: speeds.map { [0, $0] }, interpolation: interpolation)
    }

    /// The velocities as real numbers (the integer ones converted for an integer set).
    public var realVelocities: [[Double]] { subpixel?.velocities ?? velocities.map { $0.map(Double.init) } }

    /// Whether some velocity is not a whole number of pixels per step.
    public var hasSubpixelVelocities: Bool { subpixel?.remainders.contains { $0 != [0, 0] } ?? false }

    /// Index of the real velocity (dy, dx), or nil.
    public func index(of velocity: [Double]) -> Int? { realVelocities.firstIndex(of: velocity) }

    /// The part of each flow a convolution's padding cannot do: [N·|V|, C, H, W] images (image i of
    /// velocity i mod |V|, as a lifted state [N, |V|, C, H, W] viewed as images) moved by their
    /// velocity's remainder r. The identity (the same tensor) when every remainder is zero.
    public func residualMoved(_ images: Tensor) -> Tensor {
        guard let subpixel, hasSubpixelVelocities else { return images }
        requireArgument(images.rank == 4 && images.shape[0] % count == 0, "TranslationFlows.residualMoved",
                        "images must be [N·\(count), C, H, W] for \(self), got \(images.shape)")
        return translate(images, by: subpixel.remainders, interpolation: subpixel.interpolation)
    }

    /// Moves every velocity's slice of a lifted state one step along its own flow:
    /// [B, |V|, C, H, W] -> same, slice ν ↦ Flow_ν(slice ν). Whole-pixel flows are exact rolls; sub-pixel
    /// ones use the set's interpolation. Differentiable in `state`.
    public func flowed(_ state: Tensor) -> Tensor {
        requireArgument(state.rank == 5 && state.shape[1] == count, "TranslationFlows.flowed",
                        "state must be [B, \(count), C, H, W] for \(self), got \(state.shape)")
        let images = state.reshaped([state.shape[0] * count] + Array(state.shape[2...]))
        // Bilinear interpolation of whole-pixel shifts reads one tap: an exact roll.
        return translate(images, by: realVelocities, interpolation: subpixel?.interpolation ?? .bilinear).reshaped(state.shape)
    }
}
