import Orbit
import OrbitKernels

// The cases.json shapes again, through Orbit's public API: `matmul`, and `conv2d` differentiated by the
// tape (`valueAndGradient` with a seed), as a user's training step runs them. Named `<case>_tensor`; the
// difference to the kernel-level case is the framework's overhead (allocation, recording, dispatch).
// Each checks its result bit for bit against a direct kernel call on the same inputs: the kernels are
// deterministic, so the tensor layer must reproduce them exactly.
func tensorCases() -> [BenchmarkCase] {
    [
        matmulCase("gemm_1024_tensor", size: 1024),
        convolutionTensorCase("conv_fwdbwd_b16_c64to128_28_k3_tensor", batch: 16, channels: 64, outputChannels: 128, size: 28, kernel: 3, padding: 1),
        convolutionTensorCase("conv_fwdbwd_b16_c1to64_28_k3_tensor", batch: 16, channels: 1, outputChannels: 64, size: 28, kernel: 3, padding: 1),
        convolutionTensorCase("conv_fwdbwd_b8_c32to32_64_k5_tensor", batch: 8, channels: 32, outputChannels: 32, size: 64, kernel: 5, padding: 2),
    ]
}

private func matmulCase(_ name: String, size: Int) -> BenchmarkCase {
    BenchmarkCase(name: name, flops: 2 * Double(size * size * size)) {
        var generator = RandomGenerator(seed: 3)
        let a = Tensor.randomNormal([size, size], using: &generator), b = Tensor.randomNormal([size, size], using: &generator)
        var product = a
        return BenchmarkCase.Prepared(
            run: { product = matmul(a, b); BlackHole.consume(product) },
            verify: {
                let reference = [Float](unsafeUninitializedCapacity: size * size) { buffer, count in
                    a.scalars(as: Float.self).withUnsafeBufferPointer { a in
                        b.scalars(as: Float.self).withUnsafeBufferPointer { b in
                            gemm(m: size, n: size, k: size, a: a.baseAddress!, aRowStride: size, aColumnStride: 1,
                                 b: b.baseAddress!, bRowStride: size, bColumnStride: 1,
                                 c: buffer.baseAddress!, cRowStride: size, accumulate: false)
                        }
                    }
                    count = size * size
                }
                return product.scalars(as: Float.self) == reference ? nil : "matmul differs from gemm"
            })
    }
}

private func convolutionTensorCase(_ name: String, batch: Int, channels: Int, outputChannels: Int, size: Int,
                                   kernel: Int, padding: Int) -> BenchmarkCase {
    let forwardFlops = 2.0 * Double(batch * outputChannels * channels * kernel * kernel * size * size)
    return BenchmarkCase(name: name, flops: 3 * forwardFlops) {
        var generator = RandomGenerator(seed: 4)
        let input = Tensor.randomNormal([batch, channels, size, size], using: &generator)
        let weight = Tensor.randomNormal([outputChannels, channels, kernel, kernel], using: &generator)
        let seed = Tensor.randomNormal([batch, outputChannels, size, size], using: &generator)
        var result = (value: input, gradients: [input, weight])
        return BenchmarkCase.Prepared(
            run: {
                result = valueAndGradient(at: [input, weight], seed: seed) { conv2d($0[0], $0[1], padding: PerAxis(integerLiteral: padding)) }
                BlackHole.consume(result)
            },
            verify: {
                let geometry = ConvolutionGeometry(batch: batch, inputChannels: channels, outputChannels: outputChannels,
                                                   inputSize: [size, size], kernelSize: [kernel, kernel], stride: [1, 1],
                                                   padding: [padding, padding], dilation: [1, 1])
                let (x, w, g) = (input.scalars(as: Float.self), weight.scalars(as: Float.self), seed.scalars(as: Float.self))
                var output = [Float](repeating: 0, count: geometry.outputElementCount)
                var inputGradient = [Float](repeating: 0, count: geometry.inputElementCount)
                var weightGradient = [Float](repeating: 0, count: geometry.weightElementCount)
                convolutionForward(geometry, input: x, weight: w, output: &output)
                convolutionBackwardInput(geometry, outputGradient: g, weight: w, inputGradient: &inputGradient)
                convolutionBackwardWeight(geometry, input: x, outputGradient: g, weightGradient: &weightGradient)
                if result.value.scalars(as: Float.self) != output { return "conv2d output differs from the kernel" }
                if result.gradients[0].scalars(as: Float.self) != inputGradient { return "input gradient differs from the kernel" }
                if result.gradients[1].scalars(as: Float.self) != weightGradient { return "weight gradient differs from the kernel" }
                return nil
            })
    }
}
