internal import OrbitKernels

/// A size, stride, padding or dilation given once for every spatial axis (`3`) or per axis (`[3, 5]`).
/// Functions and layers take these as `some PerAxisConvertible`, so an `Int` or `[Int]` works as well.
public struct PerAxis: ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, Sendable, Equatable {
    public let values: [Int]
    public init(integerLiteral value: Int) { values = [value] }
    public init(arrayLiteral elements: Int...) { values = elements }
    public init(_ values: [Int]) { self.values = values }

    func resolved(rank: Int, _ name: String, _ operation: String) -> [Int] {
        if values.count == 1 { return Array(repeating: values[0], count: rank) }
        check(values.count == rank, operation, "\(name) \(values) must give 1 or \(rank) values")
        return values
    }
}

/// 2-D cross-correlation (PyTorch `conv2d` without bias): input [N, C, H, W], weight [O, C/groups, kH, kW]
/// -> [N, O, H', W'] with H' = (H + 2p - d(kH - 1) - 1)/s + 1. `paddingMode` .zeros or .circular (torus).
/// Pullback: ḡ ⋆ᵀ w to the input and x ⋆ ḡ to the weight (the two backward convolution kernels).
///
/// `inputShifts` rolls image n by `inputShifts[n % inputShifts.count]` = [dy, dx] before the
/// convolution (content moves by +shift, as `rolled`): conv2d(x, w, inputShifts: s) equals conv2d of the
/// rolled images, but the roll is folded into the padding the kernel does anyway, so it is free and saves
/// no extra tensor. A flow-equivariant RNN moves each velocity's hidden state this way.
public func conv2d(_ input: Tensor, _ weight: Tensor, stride: some PerAxisConvertible = 1,
                   padding: some PerAxisConvertible = 0, dilation: some PerAxisConvertible = 1, groups: Int = 1,
                   paddingMode: PaddingMode = .zeros, inputShifts: [[Int]] = []) -> Tensor {
    convolution(input, weight, spatialRank: 2, stride: stride.perAxis, padding: padding.perAxis,
                dilation: dilation.perAxis, groups: groups, paddingMode: paddingMode, inputShifts: inputShifts, "conv2d")
}

/// 3-D cross-correlation: input [N, C, D, H, W], weight [O, C/groups, kD, kH, kW] (PyTorch `conv3d`
/// without bias). Used for the flow convolution that mixes velocities and the 3D-CNN baseline.
public func conv3d(_ input: Tensor, _ weight: Tensor, stride: some PerAxisConvertible = 1,
                   padding: some PerAxisConvertible = 0, dilation: some PerAxisConvertible = 1, groups: Int = 1,
                   paddingMode: PaddingMode = .zeros, inputShifts: [[Int]] = []) -> Tensor {
    convolution(input, weight, spatialRank: 3, stride: stride.perAxis, padding: padding.perAxis,
                dilation: dilation.perAxis, groups: groups, paddingMode: paddingMode, inputShifts: inputShifts, "conv3d")
}

/// The convolution primitive for any spatial rank.
func convolution(_ input: Tensor, _ weight: Tensor, spatialRank: Int, stride: PerAxis, padding: PerAxis,
                 dilation: PerAxis, groups: Int, paddingMode: PaddingMode, inputShifts: [[Int]], _ name: String) -> Tensor {
    check(inputShifts.allSatisfy { $0.count == spatialRank }, name,
          "each input shift needs \(spatialRank) values (one per spatial axis), got \(inputShifts)")
    let geometry = convolutionGeometry(input, weight, spatialRank: spatialRank, stride: stride, padding: padding,
                                       dilation: dilation, groups: groups, paddingMode: paddingMode, inputShifts: inputShifts, name)
    let output = Tensor(uninitializedShape: [geometry.batch, geometry.outputChannels] + geometry.outputSize, dtype: input.dtype)
    switch input.dtype {
    case .float32: convolutionForward(geometry, input: input.pointer(Float.self), weight: weight.pointer(Float.self), output: output.pointer(Float.self))
    case .float64: convolutionForward(geometry, input: input.pointer(Double.self), weight: weight.pointer(Double.self), output: output.pointer(Double.self))
    case .int64, .bool: fail(name, "unreachable")
    }
    return record(name, inputs: [input, weight], output: output) { g, needs in
        var inputGradient: Tensor?, weightGradient: Tensor?
        if needs[0] {
            let result = Tensor(uninitializedShape: input.shape, dtype: g.dtype)
            switch g.dtype {
            case .float32: convolutionBackwardInput(geometry, outputGradient: g.pointer(Float.self), weight: weight.pointer(Float.self), inputGradient: result.pointer(Float.self))
            case .float64: convolutionBackwardInput(geometry, outputGradient: g.pointer(Double.self), weight: weight.pointer(Double.self), inputGradient: result.pointer(Double.self))
            case .int64, .bool: fail(name, "unreachable")
            }
            inputGradient = result
        }
        if needs[1] {
            let result = Tensor(uninitializedShape: weight.shape, dtype: g.dtype)
            switch g.dtype {
            case .float32: convolutionBackwardWeight(geometry, input: input.pointer(Float.self), outputGradient: g.pointer(Float.self), weightGradient: result.pointer(Float.self))
            case .float64: convolutionBackwardWeight(geometry, input: input.pointer(Double.self), outputGradient: g.pointer(Double.self), weightGradient: result.pointer(Double.self))
            case .int64, .bool: fail(name, "unreachable")
            }
            weightGradient = result
        }
        return [inputGradient, weightGradient]
    }
}

/// Validates a convolution's arguments and describes it for the kernels.
private func convolutionGeometry(_ input: Tensor, _ weight: Tensor, spatialRank: Int, stride: PerAxis, padding: PerAxis,
                                 dilation: PerAxis, groups: Int, paddingMode: PaddingMode, inputShifts: [[Int]],
                                 _ name: String) -> ConvolutionGeometry {
    checkFloatingPoint(input, name)
    checkSameDType(input, weight, name)
    let layout = spatialRank == 2 ? "[N, C, H, W]" : "[N, C, D, H, W]"
    check(input.rank == spatialRank + 2, name, "input must be \(layout), got shape \(input.shape)")
    check(weight.rank == spatialRank + 2, name, "weight must be [O, C/groups, \(spatialRank == 2 ? "kH, kW" : "kD, kH, kW")], got shape \(weight.shape)")
    let strides = stride.resolved(rank: spatialRank, "stride", name)
    let paddings = padding.resolved(rank: spatialRank, "padding", name)
    let dilations = dilation.resolved(rank: spatialRank, "dilation", name)
    let (channels, outputChannels) = (input.shape[1], weight.shape[0])
    check(groups >= 1 && channels % groups == 0 && outputChannels % groups == 0, name,
          "groups \(groups) must divide input channels \(channels) (input \(input.shape)) and output channels \(outputChannels) (weight \(weight.shape))")
    check(weight.shape[1] * groups == channels, name,
          "input \(input.shape) has \(channels) channels but weight \(weight.shape) expects \(weight.shape[1] * groups) (weight.shape[1] \(weight.shape[1]) x groups \(groups))")
    check(strides.allSatisfy { $0 >= 1 } && dilations.allSatisfy { $0 >= 1 } && paddings.allSatisfy { $0 >= 0 }, name,
          "stride \(strides) and dilation \(dilations) must be >= 1, padding \(paddings) >= 0")
    check(paddingMode != .reflect, name, "padding mode must be .zeros or .circular; pad with padded(_:mode: .reflect) first")
    let inputSize = Array(input.shape[2...]), kernelSize = Array(weight.shape[2...])
    if paddingMode == .circular {
        check(zip(paddings, inputSize).allSatisfy { $0 <= $1 }, name,
              "circular padding \(paddings) may not exceed the input size \(inputSize)")
    }
    let geometry = ConvolutionGeometry(
        batch: input.shape[0], inputChannels: channels, outputChannels: outputChannels, groups: groups,
        inputSize: inputSize, kernelSize: kernelSize, stride: strides, padding: paddings, dilation: dilations,
        paddingMode: paddingMode == .circular ? .circular : .zeros, inputShifts: inputShifts)
    check(geometry.outputSize.allSatisfy { $0 >= 1 } && kernelSize.allSatisfy { $0 >= 1 }, name,
          "input \(input.shape) is smaller than the dilated kernel \(weight.shape) (padding \(paddings), dilation \(dilations)): output size \(geometry.outputSize)")
    return geometry
}
