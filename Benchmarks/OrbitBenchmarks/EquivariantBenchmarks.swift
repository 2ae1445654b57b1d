import Orbit
import OrbitModels
import OrbitNN

// Equivariant convolutions against a plain convolution of the same shapes, forward and backward
// (gradients of the input and of every parameter, with a random cotangent), and the cost of expanding
// their filters alone (expansion forward and backward). The acceptance figure is
// expansion / layer < 10%. Flops count the convolution only: 3 × 2·N·C_out·C_in·k²·H·W.
func equivariantCases() -> [BenchmarkCase] {
    let c4 = CyclicGroup(order: 4), c36 = CyclicGroup(order: 36)
    return [
        layerCase("groupconv_c4_32to32_b16_28_fwdbwd", batch: 16, channels: 128, outputChannels: 128) { generator in
            GroupConvolution(group: c4, inputFields: 32, outputFields: 32, kernelSize: 3, padding: 1, using: &generator)
        },
        layerCase("conv_c128to128_b16_28_fwdbwd", batch: 16, channels: 128, outputChannels: 128) { generator in
            Convolution2D(inputChannels: 128, outputChannels: 128, kernelSize: 3, padding: 1, using: &generator)
        },
        expansionCase("groupconv_c4_32to32_expansion_fwdbwd") { generator in
            let layer = GroupConvolution(group: c4, inputFields: 32, outputFields: 32, kernelSize: 3, padding: 1, using: &generator)
            return (layer, { layer.filter })
        },
        layerCase("steerable_c36_4to4_b8_28_fwdbwd", batch: 8, channels: 144, outputChannels: 144) { generator in
            let type = FieldType(group: c36, c36.regularRepresentation, count: 4)
            return SteerableConvolution(inputType: type, outputType: type, kernelSize: 3, padding: 1, using: &generator)
        },
        layerCase("conv_c144to144_b8_28_fwdbwd", batch: 8, channels: 144, outputChannels: 144) { generator in
            Convolution2D(inputChannels: 144, outputChannels: 144, kernelSize: 3, padding: 1, using: &generator)
        },
        expansionCase("steerable_c36_4to4_expansion_fwdbwd") { generator in
            let type = FieldType(group: c36, c36.regularRepresentation, count: 4)
            let layer = SteerableConvolution(inputType: type, outputType: type, kernelSize: 3, padding: 1, using: &generator)
            return (layer, { layer.filter })
        },
    ]
}

/// A layer's training step core: forward, then gradients of the input and of every parameter. The
/// result is checked against a plain conv2d with the layer's expanded filter (bit for bit: same kernels).
private func layerCase(_ name: String, batch: Int, channels: Int, outputChannels: Int,
                       _ makeLayer: @escaping (inout RandomGenerator) -> any Layer) -> BenchmarkCase {
    BenchmarkCase(name: name, flops: 3 * 2 * Double(batch * channels * outputChannels * 9 * 28 * 28)) {
        var generator = RandomGenerator(seed: 5)
        let layer = makeLayer(&generator)
        let input = Tensor.randomNormal([batch, channels, 28, 28], using: &generator)
        let seed = Tensor.randomNormal([batch, outputChannels, 28, 28], using: &generator)
        var output = input
        return BenchmarkCase.Prepared(
            run: {
                let parameters = layer.parameters
                let (value, gradients) = valueAndGradient(of: parameters, seed: seed) { layer(input) }
                output = value
                BlackHole.consume(gradients)
            },
            verify: {
                let (filter, bias): (Tensor, Tensor?) = switch layer {
                case let layer as ExportableConvolution: (layer.filter, layer.expandedBias)
                case let layer as Convolution2D: (layer.weight.value, layer.bias?.value)
                default: (input, nil)
                }
                var reference = conv2d(input, filter, padding: 1)
                if let bias { reference = reference + bias.reshaped([-1, 1, 1]) }
                return reference.scalars(as: Float.self) == output.scalars(as: Float.self) ? nil : "output differs from conv2d with the expanded filter"
            })
    }
}

/// The filter expansion alone, forward and backward to the coefficients.
private func expansionCase(_ name: String, _ make: @escaping (inout RandomGenerator) -> (any Layer, () -> Tensor)) -> BenchmarkCase {
    BenchmarkCase(name: name, flops: 0) {
        var generator = RandomGenerator(seed: 6)
        let (layer, filter) = make(&generator)
        let shape = filter().shape
        let seed = Tensor.randomNormal(shape, using: &generator)
        return BenchmarkCase.Prepared(
            run: { BlackHole.consume(valueAndGradient(of: layer.parameters, seed: seed) { filter() }) },
            verify: { filter().shape == shape ? nil : "filter shape changed" })
    }
}
