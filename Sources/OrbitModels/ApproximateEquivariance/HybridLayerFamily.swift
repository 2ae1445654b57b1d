import Orbit
import OrbitNN

/// The layers the hybrid baselines of Table 1 (RPP, Combo, Lift) are built from, one family per symmetry:
/// the symmetry's equivariant layer and a non-equivariant counterpart with the same input and output
/// shapes (Docs/ApproximateEquivariance.md, "Models of Table 1").
///
/// | family | equivariant layer | non-equivariant counterpart | `hidden` counts |
/// |---|---|---|---|
/// | `.rotation(group)` | `SteerableConvolution`, irrep(1) frames -> regular fields -> irrep(1) | `Convolution2D` | regular fields (hidden·|G| channels) |
/// | `.translation(height:width:rank:)` | `Convolution2D` (Conv is Equiv) | CLCNN's low-rank locally connected layer (`locallyConnectedLayer`) | channels |
/// | `.scaling(basis)` | `ScaleConvolution` (SESN; lifting first) | `Convolution2D` on every scale alike (`ScaleWiseConvolution`) | channels, × S scales inside |
///
/// Between layers tensors are [N, C, H, W], or [N, C, S, H, W] after a scale layer; `readout` ends a
/// stack (scaling: the mean over S, as `ScaleVelocityNet`). Kernels are `kernelSize` wide, except that
/// the scaling family uses the basis's size (5) for its plain layers too, the SESN filters' support.
public enum HybridLayerFamily: Sendable {
    case rotation(CyclicGroup)
    /// H × W are fixed by the locally connected layers; `rank` is their number of shared filters.
    case translation(height: Int, width: Int, rank: Int)
    case scaling(HermiteGaussianBasis)

    /// The C4 family, the rotation models' default.
    public static var c4: HybridLayerFamily { .rotation(CyclicGroup(order: 4)) }
}

/// One stack of a hybrid model: its family, sizes and options, and the layers it builds. Layer `index`
/// of `layers` maps 2·frames -> hidden (index 0) … hidden -> 2 (the last) channels.
struct HybridStack {
    let family: HybridLayerFamily
    let frames: Int, hidden: Int, layers: Int, kernelSize: Int
    let paddingMode: PaddingMode, dtype: DType

    private var plainKernelSize: Int {
        if case .scaling(let basis) = family { return basis.kernelSize }
        return kernelSize
    }

    /// Input and output channels of layer `index` (rotation: of its field types).
    func channels(_ index: Int) -> (input: Int, output: Int) {
        if case .rotation(let group) = family {
            let types = VelocityFieldTypes(group: group, frames: frames, hidden: hidden).stack(layers: layers)[index]
            return (types.input.channels, types.output.channels)
        }
        return stackWidths(input: 2 * frames, hidden: hidden, output: 2, layers: layers)[index]
    }

    /// The equivariant layer `index`. `lifting` (scaling only): its input has no scale axis yet, which
    /// holds for the first layer, and for Combo's first scale layer after its plain ones.
    func equivariantLayer(_ index: Int, lifting: Bool, using generator: inout RandomGenerator) -> any Layer {
        let (input, output) = channels(index)
        switch family {
        case .rotation(let group):
            let types = VelocityFieldTypes(group: group, frames: frames, hidden: hidden).stack(layers: layers)[index]
            return SteerableConvolution(inputType: types.input, outputType: types.output, kernelSize: kernelSize,
                                        padding: kernelSize / 2, paddingMode: paddingMode, dtype: dtype, using: &generator)
        case .translation:
            return plainConvolution(input, output, using: &generator)
        case .scaling(let basis):
            return ScaleConvolution(inputChannels: input, outputChannels: output, basis: basis, lifting: lifting, paddingMode: paddingMode,
                                    dtype: dtype, using: &generator)
        }
    }

    /// The non-equivariant layer `index`. `besideScales` (scaling only): it runs beside a scale layer, so
    /// it outputs a scale axis ([N, O, 1, H, W] from a frame, broadcast over S; per scale otherwise);
    /// false for Combo's plain layers, which come before any.
    func plainLayer(_ index: Int, besideScales: Bool, using generator: inout RandomGenerator) -> any Layer {
        let (input, output) = channels(index)
        switch family {
        case .rotation:
            return plainConvolution(input, output, using: &generator)
        case .translation(let height, let width, let rank):
            return LocallyConnectedVelocityNet.locallyConnectedLayer(inputChannels: input, outputChannels: output, kernelSize: kernelSize,
                                                                     rank: rank, height: height, width: width, paddingMode: paddingMode,
                                                                     dtype: dtype, using: &generator)
        case .scaling:
            let convolution = plainConvolution(input, output, using: &generator)
            return besideScales ? ScaleWiseConvolution(convolution) : convolution
        }
    }

    /// Lift's coordinate layer: a plain convolution of the 2 coordinate channels to layer 0's output
    /// (scaling: broadcast over the scale axis).
    func coordinateLayer(using generator: inout RandomGenerator) -> any Layer {
        let convolution = plainConvolution(2, channels(0).output, using: &generator)
        if case .scaling = family { return ScaleWiseConvolution(convolution) }
        return convolution
    }

    /// The stack's last output as a frame: [N, 2, S, H, W] -> [N, 2, H, W] (mean over scales) for scaling,
    /// unchanged otherwise.
    func readout(_ x: Tensor) -> Tensor {
        if case .scaling = family { return x.mean(axis: 2) }
        return x
    }

    private func plainConvolution(_ input: Int, _ output: Int, using generator: inout RandomGenerator) -> Convolution2D {
        Convolution2D(inputChannels: input, outputChannels: output, kernelSize: plainKernelSize,
                      padding: plainKernelSize / 2, paddingMode: paddingMode, dtype: dtype, using: &generator)
    }
}
