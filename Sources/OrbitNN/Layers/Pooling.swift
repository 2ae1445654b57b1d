import Orbit

/// Max pooling over windows of [N, C, H, W] (PyTorch `nn.MaxPool2d`; stride defaults to the window).
public final class MaxPool2D: Layer {
    public let kernelSize: PerAxis, stride: PerAxis?, padding: PerAxis
    public init(kernelSize: some PerAxisConvertible, stride: (any PerAxisConvertible)? = nil, padding: some PerAxisConvertible = 0) {
        (self.kernelSize, self.stride, self.padding) = (kernelSize.perAxis, stride?.perAxis, padding.perAxis)
    }
    public func callAsFunction(_ input: Tensor) -> Tensor {
        maxPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding)
    }
}

/// Average pooling over windows of [N, C, H, W] (PyTorch `nn.AvgPool2d`).
public final class AveragePool2D: Layer {
    public let kernelSize: PerAxis, stride: PerAxis?, padding: PerAxis
    public let countPadding: Bool
    public init(kernelSize: some PerAxisConvertible, stride: (any PerAxisConvertible)? = nil, padding: some PerAxisConvertible = 0,
                countPadding: Bool = true) {
        (self.kernelSize, self.stride, self.padding, self.countPadding) = (kernelSize.perAxis, stride?.perAxis, padding.perAxis, countPadding)
    }
    public func callAsFunction(_ input: Tensor) -> Tensor {
        averagePool2d(input, kernelSize: kernelSize, stride: stride, padding: padding, countPadding: countPadding)
    }
}

/// Global average pooling: [N, C, spatial…] -> [N, C] (PyTorch `nn.AdaptiveAvgPool2d(1)` or
/// `AdaptiveAvgPool3d(1)` followed by `flatten(1)`).
public final class GlobalAveragePool: Layer {
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor {
        requireArgument(input.rank >= 3, "GlobalAveragePool", "expected [N, C, spatial...], got \(input.shape)")
        return input.mean(axes: Array(2..<input.rank))
    }
}
