import Foundation
import Orbit

/// Transforms the spatial axes (the last two, H and W) of a tensor by a planar action: the content
/// moves by p ↦ R(angle)·F^reflected·p, F the horizontal flip x ↦ -x (the W axis) applied first.
///
/// Exact when the action maps the grid onto itself (`action.isExactOnGrid`): a flip of W, then
/// `rotated90(quarterTurns)`. Otherwise bilinear resampling about the image centre with zeros
/// outside (`resampleSpatially`), which is approximate: it interpolates and loses the corners.
/// Shapes: [..., H, W] -> [..., H, W]; differentiable in `x`.
public func transformSpatially(_ x: Tensor, by action: PlanarAction) -> Tensor {
    requireArgument(x.rank >= 2, "transformSpatially", "needs at least two (spatial) axes, got shape \(x.shape)")
    guard let turns = action.quarterTurns else { return resampleSpatially(x, by: action) }
    let flipped = action.reflected ? x.flipped(axes: [-1]) : x
    return turns == 0 ? flipped : flipped.rotated90(turns)
}

/// Transforms the spatial axes of a float tensor [..., H, W] by a planar action with bilinear
/// resampling (`affineResample`, align_corners = false, zeros outside), even when an exact path exists.
///
/// Pixel centres map to pixel centres for quarter turns of square images only; on non-square images
/// the normalized plane is anisotropic (as in PyTorch), so rotations there are distorted.
public func resampleSpatially(_ x: Tensor, by action: PlanarAction) -> Tensor {
    requireArgument(x.rank >= 2, "resampleSpatially", "needs at least two (spatial) axes, got shape \(x.shape)")
    let (height, width) = (x.shape[x.rank - 2], x.shape[x.rank - 1])
    let planes = x.reshaped([-1, 1, height, width])
    return affineResample(planes, theta: resamplingTheta(for: action, dtype: x.dtype)).reshaped(x.shape)
}

/// The [2, 3] θ for `affineResample` that moves content by `action`. The sampling grid maps output to
/// input, so θ is the inverse of the content map A = R·F written in (x right, y down) normalized
/// coordinates, where a counter-clockwise-as-displayed rotation is [[c, s], [-s, c]] and F = diag(-1, 1):
/// θ = F·[[c, -s], [s, c]].
func resamplingTheta(for action: PlanarAction, dtype: DType) -> Tensor {
    let (c, s) = (cos(action.angle), sin(action.angle))
    let sign = action.reflected ? -1.0 : 1.0
    return Tensor([sign * c, -sign * s, 0, s, c, 0], shape: [2, 3], dtype: dtype)
}
