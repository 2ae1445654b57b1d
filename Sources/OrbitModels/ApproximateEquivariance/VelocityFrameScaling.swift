import Orbit
import OrbitNN

/// The scaling symmetry's action on velocity frames (CLCNN's hinge penalty on the scaling design):
///
///     (g_s · u)(p) = s · u(p / s),        p measured from the frame's centre,
///
/// the content magnified by `factor` s about the centre and every velocity component multiplied by s.
/// It is the relation the scaling design builds its data on (Docs/References.md §A6: a plume simulated on a
/// domain f times larger, with everything scaled by f, is resampled by 1/f in space and divided by f,
/// which is g_{1/f}), and, for inviscid flow with a fixed time step, u'(x, t) = s·u(x/s, t) solves the
/// same equations as u (the advection term and ∂u/∂t both scale by s, so time is not rescaled).
///
/// Approximate on frames: bilinear interpolation (`affineResample`, align_corners = false, pixel
/// centres about the centre), and a boundary: for s > 1 the content beyond the frame's 1/s middle is lost,
/// for s < 1 the rim the frame no longer covers is zero. A linear field u(p) = A·p is left unchanged
/// wherever p/s stays inside the frame (always for s >= 1); s = 1 is the identity.
/// Shapes: [N, C, H, W] -> [N, C, H, W] (C = 2·frames, all channels alike); differentiable in `frames`.
public func scaleVelocityFrames(_ frames: Tensor, by factor: Double) -> Tensor {
    requireArgument(factor > 0 && factor.isFinite, "scaleVelocityFrames", "needs a positive scale factor, got \(factor)")
    // The grid maps output to input: p -> p / s in normalized coordinates.
    let theta = Tensor([1 / factor, 0, 0, 0, 1 / factor, 0], shape: [2, 3], dtype: .float64)
    return affineResample(frames, theta: theta) * factor
}
