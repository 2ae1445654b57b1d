import Orbit

/// An equivariant convolution that can be turned into the plain convolution it computes.
public protocol ExportableConvolution: Layer {
    /// The expanded OIHW filter.
    var filter: Tensor { get }
    /// The expanded per-channel bias, if any.
    var expandedBias: Tensor? { get }
    var stride: PerAxis { get }
    var padding: PerAxis { get }
    var dilation: PerAxis { get }
    var paddingMode: PaddingMode { get }
}

extension ExportableConvolution {
    /// A plain `Convolution2D` holding the current expanded filter and bias (escnn's `export`): the
    /// same function, without re-expanding the filter on every call, for inference or for PyTorch.
    /// It is a snapshot: training the original afterwards does not change it.
    public func exported() -> Convolution2D {
        let filter = self.filter.detached()
        var unused = RandomGenerator(seed: 0)
        let convolution = Convolution2D(inputChannels: filter.shape[1], outputChannels: filter.shape[0],
                                        kernelSize: PerAxis(Array(filter.shape[2...])), stride: stride, padding: padding,
                                        dilation: dilation, bias: expandedBias != nil, paddingMode: paddingMode,
                                        dtype: filter.dtype, using: &unused)
        convolution.weight.value = filter
        if let bias = expandedBias { convolution.bias?.value = bias.detached() }
        return convolution
    }
}

extension LiftingConvolution: ExportableConvolution {}
extension GroupConvolution: ExportableConvolution {}
