import OrbitKernels

// Convolution cases of ../shared/bench/cases.json: 2-D, float32, stride 1, zero "same" padding.
// Flops of one forward pass: 2·N·C_out·C_in·k²·H·W (one multiply-add per weight tap and output pixel).
// Forward+backward (as torch_bench.py's y.backward(ones) with x and w requiring grad) counts 3x that:
// the forward, the input gradient and the weight gradient are each a product of the same size.
func convolutionCases() -> [BenchmarkCase] {
    [
        convolutionCase("conv_fwd_b16_c64to128_28_k3", batch: 16, channels: 64, outputChannels: 128, size: 28,
                        kernel: 3, padding: 1, backward: false),
        convolutionCase("conv_fwdbwd_b16_c64to128_28_k3", batch: 16, channels: 64, outputChannels: 128, size: 28,
                        kernel: 3, padding: 1, backward: true),
        convolutionCase("conv_fwdbwd_b16_c1to64_28_k3", batch: 16, channels: 1, outputChannels: 64, size: 28,
                        kernel: 3, padding: 1, backward: true),
        convolutionCase("conv_fwdbwd_b8_c32to32_64_k5", batch: 8, channels: 32, outputChannels: 32, size: 64,
                        kernel: 5, padding: 2, backward: true),
        // The hidden convolution of one FERNN step at |V| = 25, B = 8 (not in cases.json; run it by name).
        longCase(convolutionCase("conv_fwdbwd_b200_c128to128_28_k3", batch: 200, channels: 128, outputChannels: 128,
                                 size: 28, kernel: 3, padding: 1, backward: true)),
    ] + [8, 16, 32, 64].map { channels in
        // The hidden convolution of a small FERNN step at |V| = 9, B = 8 (72 images; run by name).
        longCase(convolutionCase("conv_fwdbwd_b72_c\(channels)to\(channels)_28_k3", batch: 72, channels: channels,
                                 outputChannels: channels, size: 28, kernel: 3, padding: 1, backward: true))
    }
}

private func longCase(_ benchmark: BenchmarkCase) -> BenchmarkCase {
    var benchmark = benchmark
    benchmark.isLong = true
    return benchmark
}

private func convolutionCase(
    _ name: String, batch: Int, channels: Int, outputChannels: Int, size: Int, kernel: Int, padding: Int,
    backward: Bool
) -> BenchmarkCase {
    let geometry = ConvolutionGeometry(
        batch: batch, inputChannels: channels, outputChannels: outputChannels, inputSize: [size, size],
        kernelSize: [kernel, kernel], stride: [1, 1], padding: [padding, padding], dilation: [1, 1])
    let forwardFlops = 2.0 * Double(batch * outputChannels * channels * kernel * kernel * size * size)
    return BenchmarkCase(name: name, flops: backward ? 3 * forwardFlops : forwardFlops) {
        var random = BenchmarkRandom(seed: 2)
        let input = random.floats(geometry.inputElementCount)
        let weight = random.floats(geometry.weightElementCount)
        // A random output gradient (PyTorch uses ones; the values do not change the work) so the check
        // below can tell a transposed or shifted gradient from the right one.
        let outputGradient = random.floats(geometry.outputElementCount)
        let output = UnsafeMutablePointer<Float>.allocate(capacity: geometry.outputElementCount)
        let inputGradient = UnsafeMutablePointer<Float>.allocate(capacity: geometry.inputElementCount)
        let weightGradient = UnsafeMutablePointer<Float>.allocate(capacity: geometry.weightElementCount)
        let reference = SampledConvolution(geometry: geometry, input: input, weight: weight, outputGradient: outputGradient)
        return BenchmarkCase.Prepared(
            run: {
                convolutionForward(geometry, input: input, weight: weight, output: output)
                if backward {
                    convolutionBackwardInput(geometry, outputGradient: outputGradient, weight: weight, inputGradient: inputGradient)
                    convolutionBackwardWeight(geometry, input: input, outputGradient: outputGradient, weightGradient: weightGradient)
                }
                BlackHole.consume(output[0] + inputGradient[0] + weightGradient[0])
            },
            verify: {
                reference.checkOutput(output)
                    ?? (backward ? reference.checkInputGradient(inputGradient) ?? reference.checkWeightGradient(weightGradient) : nil)
            })
    }
}

/// Sampled elements of the three results recomputed in Double from the definition (2-D, zero
/// padding, stride and dilation 1). A float sum of L terms is within L·u·Σ|terms| of the exact
/// value (u = 2^-24); the check allows 2(L + 2)·u·Σ|terms|.
private struct SampledConvolution {
    let geometry: ConvolutionGeometry
    let input: UnsafePointer<Float>, weight: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>
    private var size: Int { geometry.inputSize[0] }
    private var kernel: Int { geometry.kernelSize[0] }
    private var padding: Int { geometry.padding[0] }

    private func x(_ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Double? {
        guard (0..<size).contains(h), (0..<size).contains(w) else { return nil }
        return Double(input[((n * geometry.inputChannels + c) * size + h) * size + w])
    }
    private func w(_ o: Int, _ c: Int, _ i: Int, _ j: Int) -> Double {
        Double(weight[((o * geometry.inputChannels + c) * kernel + i) * kernel + j])
    }
    private func dy(_ n: Int, _ o: Int, _ h: Int, _ w: Int) -> Double? {
        guard (0..<size).contains(h), (0..<size).contains(w) else { return nil }
        return Double(outputGradient[((n * geometry.outputChannels + o) * size + h) * size + w])
    }

    /// Checks `count` pseudo-random elements; `term(index)` lists the products summed into element index.
    private func check(
        _ name: String, _ values: UnsafeMutablePointer<Float>, count: Int, samples: Int,
        terms: (Int) -> [Double]
    ) -> String? {
        for sample in 0..<samples {
            let index = (sample * 2_654_435_761) % count
            let products = terms(index)
            let exact = products.reduce(0, +)
            let magnitude = products.reduce(0) { $0 + abs($1) }
            let bound = 2 * Double(products.count + 2) * 0x1p-24 * magnitude
            if !(abs(Double(values[index]) - exact) <= bound) {
                return "\(name)[\(index)] = \(values[index]), expected \(exact)"
            }
        }
        return nil
    }

    func checkOutput(_ output: UnsafeMutablePointer<Float>) -> String? {
        check("output", output, count: geometry.outputElementCount, samples: 256) { index in
            let (n, o, h, wIndex) = (index / (geometry.outputChannels * size * size),
                                     index / (size * size) % geometry.outputChannels, index / size % size, index % size)
            var products: [Double] = []
            for c in 0..<geometry.inputChannels {
                for i in 0..<kernel {
                    for j in 0..<kernel {
                        if let value = x(n, c, h - padding + i, wIndex - padding + j) { products.append(w(o, c, i, j) * value) }
                    }
                }
            }
            return products
        }
    }

    func checkInputGradient(_ gradient: UnsafeMutablePointer<Float>) -> String? {
        check("input gradient", gradient, count: geometry.inputElementCount, samples: 256) { index in
            let (n, c, h, wIndex) = (index / (geometry.inputChannels * size * size),
                                     index / (size * size) % geometry.inputChannels, index / size % size, index % size)
            var products: [Double] = []
            for o in 0..<geometry.outputChannels {
                for i in 0..<kernel {
                    for j in 0..<kernel {
                        if let value = dy(n, o, h + padding - i, wIndex + padding - j) { products.append(w(o, c, i, j) * value) }
                    }
                }
            }
            return products
        }
    }

    func checkWeightGradient(_ gradient: UnsafeMutablePointer<Float>) -> String? {
        check("weight gradient", gradient, count: geometry.weightElementCount, samples: 24) { index in
            let (o, c, i, j) = (index / (geometry.inputChannels * kernel * kernel),
                                index / (kernel * kernel) % geometry.inputChannels, index / kernel % kernel, index % kernel)
            var products: [Double] = []
            for n in 0..<geometry.batch {
                for h in 0..<size {
                    for wIndex in 0..<size {
                        if let value = x(n, c, h - padding + i, wIndex - padding + j) {
                            products.append(dy(n, o, h, wIndex)! * value)
                        }
                    }
                }
            }
            return products
        }
    }
}
