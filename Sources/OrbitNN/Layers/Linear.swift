import Orbit

/// A fully connected layer: y = x·Wᵀ + b (PyTorch `nn.Linear`).
///
/// Shapes: input [..., inputFeatures] -> output [..., outputFeatures]; weight [outputFeatures,
/// inputFeatures], bias [outputFeatures]. Initialization: PyTorch's default, U(±1/√inputFeatures) for
/// both, unless another initializer is given for the weight.
public final class Linear: Layer {
    public let weight: Parameter
    public let bias: Parameter?

    public init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true, weightInitializer: Initializer = .pytorchDefault,
                dtype: DType = .float32, using generator: inout RandomGenerator) {
        weight = Parameter(weightInitializer.makeTensor([outputFeatures, inputFeatures], dtype: dtype, using: &generator))
        self.bias = bias ? Parameter(Initializer.pytorchDefault.makeTensor(
            [outputFeatures], fanIn: inputFeatures, dtype: dtype, using: &generator)) : nil
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let product = matmul(input, weight.value.transposed())
        guard let bias else { return product }
        return product + bias.value
    }
}
