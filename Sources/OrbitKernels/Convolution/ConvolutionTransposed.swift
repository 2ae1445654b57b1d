// With unit strides the input gradient is itself a convolution: of dY with the weight flipped along
// every spatial axis and with input and output channels swapped,
//
//     dx[n, c, i] = Σ_{o, κ} w[o, c, κ] · dy[n, o, i + padding - κ·dilation]
//                 = Σ_{o, κ'} w'[c, o, κ'] · dy[n, o, i - padding' + κ'·dilation],
//     w'[c, o, κ'] = w[o, c, K - 1 - κ'],   padding' = dilation·(K - 1) - padding,
//
// (zero padding of dy outside its range; for circular padding with an output the size of the input,
// 2·padding = dilation·(K - 1), the same identity holds modulo the size). Running it through the
// forward pass gives a GEMM of depth C_out/groups·ΠK instead of C_out/groups and no scatter-add.

extension ConvolutionGeometry {
    /// The forward convolution that computes this geometry's input gradient, or nil where the
    /// identity above does not apply (a stride above 1, zero padding wider than the dilated kernel,
    /// circular padding that changes the size) or does not pay: with few input channels per group the
    /// flipped convolution's GEMM has too few rows to fill a microkernel (and a direct kernel would
    /// first have to pad all of dY), so the im2col route (`ConvolutionBackwardInput.swift`) is faster.
    var inputGradientConvolution: ConvolutionGeometry? {
        guard stride.allSatisfy({ $0 == 1 }), inputChannels / groups >= 8 else { return nil }
        // A shifted input: dx = roll₋ₛ(flipped conv of dy), and a roll commutes with a circular
        // convolution, so dy is rolled by -s instead. Zero padding does not commute with the roll.
        guard inputShifts.isEmpty || paddingMode == .circular else { return nil }
        var flippedPadding: [Int] = []
        for axis in inputSize.indices {
            let extent = dilation[axis] * (kernelSize[axis] - 1)
            switch paddingMode {
            case .zeros: guard padding[axis] <= extent else { return nil }
            case .circular: guard 2 * padding[axis] == extent else { return nil }
            }
            flippedPadding.append(extent - padding[axis])
        }
        return ConvolutionGeometry(
            batch: batch, inputChannels: outputChannels, outputChannels: inputChannels, groups: groups,
            inputSize: outputSize, kernelSize: kernelSize, stride: stride, padding: flippedPadding,
            dilation: dilation, paddingMode: paddingMode, inputShifts: inputShifts.map { $0.map { -$0 } })
    }
}

/// The weight of the flipped convolution: w'[g·C_in/groups + c, o, κ'] = w[g·C_out/groups + o, c, K - 1 - κ']
/// (reversing the flattened tap index reverses every spatial axis).
func flippedWeight<Scalar>(_ geometry: ConvolutionGeometry, _ weight: UnsafePointer<Scalar>) -> [Scalar] {
    let layout = ConvolutionLayout(geometry)
    let (outputs, inputs, taps) = (layout.outputChannelsPerGroup, layout.inputChannelsPerGroup, layout.kernelVolume)
    return [Scalar](unsafeUninitializedCapacity: geometry.weightElementCount) { buffer, count in
        for group in 0..<layout.groups {
            for c in 0..<inputs {
                for o in 0..<outputs {
                    let source = weight + ((group * outputs + o) * inputs + c) * taps
                    let target = buffer.baseAddress! + ((group * inputs + c) * outputs + o) * taps
                    for tap in 0..<taps { target[tap] = source[taps - 1 - tap] }
                }
            }
        }
        count = geometry.weightElementCount
    }
}
