import OrbitKernels

// Naive convolution loops in Double, written from the definition and independently of the kernels:
// a rank-generic version (every spatial position enumerated, indices wrapped or skipped per axis)
// and a plain 2-D version with four nested loops. Both are slow and obviously right.

/// Input coordinate read by output coordinate `out` and kernel tap `tap` on one axis, or nil when
/// it falls in zero padding. Circular padding wraps with a true modulo.
func referenceSourceIndex(out: Int, tap: Int, axis: Int, _ geometry: ConvolutionGeometry) -> Int? {
    let size = geometry.inputSize[axis]
    let position = out * geometry.stride[axis] - geometry.padding[axis] + tap * geometry.dilation[axis]
    switch geometry.paddingMode {
    case .zeros: return (0..<size).contains(position) ? position : nil
    case .circular: return ((position % size) + size) % size
    }
}

/// Row-major multi-index enumeration of a shape (an empty shape has one element).
func referenceIndices(_ shape: [Int]) -> [[Int]] {
    shape.reduce([[]]) { partial, size in partial.flatMap { prefix in (0..<size).map { prefix + [$0] } } }
}

func referenceLinearIndex(_ index: [Int], _ shape: [Int]) -> Int {
    zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
}

/// Calls `body(outputIndex, inputIndex, weightIndex)` for every term of the convolution sum:
/// y[outputIndex] += w[weightIndex] · x[inputIndex]. Forward and both backward references use it.
func referenceForEachTerm(_ geometry: ConvolutionGeometry, _ body: (Int, Int, Int) -> Void) {
    let inputChannelsPerGroup = geometry.inputChannels / geometry.groups
    let outputChannelsPerGroup = geometry.outputChannels / geometry.groups
    let outputSize = geometry.outputSize
    let inputShape = [geometry.batch, geometry.inputChannels] + geometry.inputSize
    let outputShape = [geometry.batch, geometry.outputChannels] + outputSize
    let weightShape = [geometry.outputChannels, inputChannelsPerGroup] + geometry.kernelSize
    let spatialOutputs = referenceIndices(outputSize)
    let taps = referenceIndices(geometry.kernelSize)
    for n in 0..<geometry.batch {
        for o in 0..<geometry.outputChannels {
            let group = o / outputChannelsPerGroup
            for out in spatialOutputs {
                let outputIndex = referenceLinearIndex([n, o] + out, outputShape)
                for c in 0..<inputChannelsPerGroup {
                    for tap in taps {
                        var source: [Int] = []
                        for axis in out.indices {
                            guard let index = referenceSourceIndex(out: out[axis], tap: tap[axis], axis: axis, geometry)
                            else { break }
                            source.append(index)
                        }
                        guard source.count == out.count else { continue }
                        let inputIndex = referenceLinearIndex(
                            [n, group * inputChannelsPerGroup + c] + source, inputShape)
                        body(outputIndex, inputIndex, referenceLinearIndex([o, c] + tap, weightShape))
                    }
                }
            }
        }
    }
}

/// y = conv(x, w) and, per output element, Σ|w·x| (the scale of its rounding error).
func referenceForward(
    _ geometry: ConvolutionGeometry, input: [Double], weight: [Double]
) -> (output: [Double], magnitude: [Double]) {
    var output = [Double](repeating: 0, count: geometry.outputElementCount)
    var magnitude = output
    referenceForEachTerm(geometry) { outputIndex, inputIndex, weightIndex in
        output[outputIndex] += weight[weightIndex] * input[inputIndex]
        magnitude[outputIndex] += abs(weight[weightIndex] * input[inputIndex])
    }
    return (output, magnitude)
}

func referenceBackwardInput(_ geometry: ConvolutionGeometry, outputGradient: [Double], weight: [Double]) -> [Double] {
    var inputGradient = [Double](repeating: 0, count: geometry.inputElementCount)
    referenceForEachTerm(geometry) { outputIndex, inputIndex, weightIndex in
        inputGradient[inputIndex] += weight[weightIndex] * outputGradient[outputIndex]
    }
    return inputGradient
}

func referenceBackwardWeight(_ geometry: ConvolutionGeometry, input: [Double], outputGradient: [Double]) -> [Double] {
    var weightGradient = [Double](repeating: 0, count: geometry.weightElementCount)
    referenceForEachTerm(geometry) { outputIndex, inputIndex, weightIndex in
        weightGradient[weightIndex] += input[inputIndex] * outputGradient[outputIndex]
    }
    return weightGradient
}

/// A second, plain 2-D forward reference (groups 1): four nested loops with explicit bounds tests.
func referenceForward2D(_ geometry: ConvolutionGeometry, input: [Double], weight: [Double]) -> [Double] {
    let (height, width) = (geometry.inputSize[0], geometry.inputSize[1])
    let (kernelHeight, kernelWidth) = (geometry.kernelSize[0], geometry.kernelSize[1])
    let (outputHeight, outputWidth) = (geometry.outputSize[0], geometry.outputSize[1])
    let circular = geometry.paddingMode == .circular
    var output = [Double](repeating: 0, count: geometry.outputElementCount)
    for n in 0..<geometry.batch {
        for o in 0..<geometry.outputChannels {
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    var sum = 0.0
                    for c in 0..<geometry.inputChannels {
                        for ky in 0..<kernelHeight {
                            for kx in 0..<kernelWidth {
                                var y = oy * geometry.stride[0] - geometry.padding[0] + ky * geometry.dilation[0]
                                var x = ox * geometry.stride[1] - geometry.padding[1] + kx * geometry.dilation[1]
                                if circular {
                                    y = (y % height + height) % height
                                    x = (x % width + width) % width
                                } else if y < 0 || y >= height || x < 0 || x >= width {
                                    continue
                                }
                                sum += weight[((o * geometry.inputChannels + c) * kernelHeight + ky) * kernelWidth + kx]
                                    * input[((n * geometry.inputChannels + c) * height + y) * width + x]
                            }
                        }
                    }
                    output[((n * geometry.outputChannels + o) * outputHeight + oy) * outputWidth + ox] = sum
                }
            }
        }
    }
    return output
}
