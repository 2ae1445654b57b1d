/// How a convolution reads outside its input.
public enum PaddingMode: Sendable {
    /// Positions outside the input are zero.
    case zeros
    /// The input wraps around each spatial axis (a torus), as PyTorch's `padding_mode='circular'`;
    /// requires `padding <= inputSize` on every axis.
    case circular
}

/// Shapes and hyper-parameters of an N-d convolution (cross-correlation, PyTorch semantics) with
/// spatial rank 1, 2 or 3.
///
/// Layouts, all contiguous row-major: input N x C_in x S..., weight C_out x (C_in / groups) x K...,
/// output N x C_out x O... where S, K and O are the spatial input, kernel and output sizes (e.g. H, W).
/// Output channel `o` of group `g = o / (C_out / groups)` reads input channels
/// `g * C_in / groups ..< (g + 1) * C_in / groups`:
///
///     y[n, o, x] = Σ_{c, κ} w[o, c, κ] · input[n, g·C_in/groups + c, x·stride - padding + κ·dilation]
///
/// The kernels do not validate the geometry: callers check channel divisibility by `groups`, equal
/// array ranks, positive sizes and strides, a non-empty output, and `padding <= inputSize` for
/// circular padding.
public struct ConvolutionGeometry: Sendable, Equatable {
    public var batch: Int
    public var inputChannels: Int
    public var outputChannels: Int
    public var groups: Int
    /// Spatial input size, e.g. [W], [H, W] or [D, H, W].
    public var inputSize: [Int]
    public var kernelSize: [Int]
    public var stride: [Int]
    /// Symmetric padding per spatial axis (added before and after).
    public var padding: [Int]
    public var dilation: [Int]
    public var paddingMode: PaddingMode
    /// Cyclic shifts applied to the input images before padding: image n is rolled by
    /// `inputShifts[n % inputShifts.count]` (one shift per spatial axis; content moves by +shift, as
    /// `Tensor.rolled`). Empty: no shift. The shift lives in the padding tables every pass already
    /// builds, so it costs nothing: this is how a flow-equivariant RNN moves each velocity's hidden
    /// state before its convolution.
    public var inputShifts: [[Int]]

    public init(
        batch: Int, inputChannels: Int, outputChannels: Int, groups: Int = 1,
        inputSize: [Int], kernelSize: [Int], stride: [Int], padding: [Int], dilation: [Int],
        paddingMode: PaddingMode = .zeros, inputShifts: [[Int]] = []
    ) {
        self.batch = batch
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.groups = groups
        self.inputSize = inputSize
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.paddingMode = paddingMode
        self.inputShifts = inputShifts
    }

    /// Spatial output size per axis: `(in + 2·padding - dilation·(kernel - 1) - 1) / stride + 1`.
    public var outputSize: [Int] {
        inputSize.indices.map { axis in
            (inputSize[axis] + 2 * padding[axis] - dilation[axis] * (kernelSize[axis] - 1) - 1) / stride[axis] + 1
        }
    }

    /// Elements of the input (and of the input gradient): N·C_in·ΠS.
    public var inputElementCount: Int { batch * inputChannels * inputSize.reduce(1, *) }
    /// Elements of the weight (and of the weight gradient): C_out·(C_in / groups)·ΠK.
    public var weightElementCount: Int { outputChannels * (inputChannels / groups) * kernelSize.reduce(1, *) }
    /// Elements of the output (and of the output gradient): N·C_out·ΠO.
    public var outputElementCount: Int { batch * outputChannels * outputSize.reduce(1, *) }
}
