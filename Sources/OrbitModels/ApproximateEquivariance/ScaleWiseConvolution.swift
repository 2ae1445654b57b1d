import Orbit
import OrbitNN

/// A plain convolution that runs beside scale convolutions (the non-equivariant pathway of the scaling
/// RPP, Lift's coordinate layer): the same filter on every scale.
///
/// - [N, I, H, W] -> [N, O, 1, H, W]: the convolution with a scale axis of size 1, which broadcasts
///   against a lifting layer's [N, O, S, H, W].
/// - [N, I, S, H, W] -> [N, O, S, H, W]: out[:, :, s] = conv(x[:, :, s]).
///
/// It is not scale-equivariant: a rescaled input does not move along the scale axis.
final class ScaleWiseConvolution: Layer {
    let convolution: Convolution2D

    init(_ convolution: Convolution2D) { self.convolution = convolution }

    func callAsFunction(_ input: Tensor) -> Tensor {
        if input.rank == 4 { return convolution(input).unsqueezed(axis: 2) }
        requireArgument(input.rank == 5, "ScaleWiseConvolution", "expects [N, C, H, W] or [N, C, S, H, W], got \(input.shape)")
        let (batch, channels, scales, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3], input.shape[4])
        // [N, C, S, H, W] -> [N·S, C, H, W], convolved, and back.
        let planes = input.permuted([0, 2, 1, 3, 4]).reshaped([batch * scales, channels, height, width])
        let output = convolution(planes)
        return output.reshaped([batch, scales, output.shape[1], height, width]).permuted([0, 2, 1, 3, 4])
    }
}
