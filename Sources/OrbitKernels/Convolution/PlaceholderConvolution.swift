// TEMPORARY (replaced when the convolution kernels land from the `kernels` branch): direct loops with
// the agreed signatures, so the tensor layer can be written and tested meanwhile.

public enum PaddingMode: Sendable { case zeros, circular }

public struct ConvolutionGeometry: Sendable, Equatable {
    public var batch, inputChannels, outputChannels, groups: Int
    public var inputSize: [Int]
    public var kernelSize: [Int]
    public var stride: [Int]
    public var padding: [Int]
    public var dilation: [Int]
    public var paddingMode: PaddingMode

    public init(batch: Int, inputChannels: Int, outputChannels: Int, groups: Int, inputSize: [Int], kernelSize: [Int],
                stride: [Int], padding: [Int], dilation: [Int], paddingMode: PaddingMode) {
        self.batch = batch; self.inputChannels = inputChannels; self.outputChannels = outputChannels
        self.groups = groups; self.inputSize = inputSize; self.kernelSize = kernelSize; self.stride = stride
        self.padding = padding; self.dilation = dilation; self.paddingMode = paddingMode
    }

    public var outputSize: [Int] {
        inputSize.indices.map { (inputSize[$0] + 2 * padding[$0] - dilation[$0] * (kernelSize[$0] - 1) - 1) / stride[$0] + 1 }
    }
}

private enum Pass { case forward, backwardInput, backwardWeight }

public func convolutionForward(_ g: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    direct(.forward, g, UnsafeMutablePointer(mutating: input), UnsafeMutablePointer(mutating: weight), output)
}
public func convolutionBackwardInput(_ g: ConvolutionGeometry, outputGradient: UnsafePointer<Float>, weight: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>) {
    direct(.backwardInput, g, inputGradient, UnsafeMutablePointer(mutating: weight), UnsafeMutablePointer(mutating: outputGradient))
}
public func convolutionBackwardWeight(_ g: ConvolutionGeometry, input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, weightGradient: UnsafeMutablePointer<Float>) {
    direct(.backwardWeight, g, UnsafeMutablePointer(mutating: input), weightGradient, UnsafeMutablePointer(mutating: outputGradient))
}
public func convolutionForward(_ g: ConvolutionGeometry, input: UnsafePointer<Double>, weight: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>) {
    direct(.forward, g, UnsafeMutablePointer(mutating: input), UnsafeMutablePointer(mutating: weight), output)
}
public func convolutionBackwardInput(_ g: ConvolutionGeometry, outputGradient: UnsafePointer<Double>, weight: UnsafePointer<Double>, inputGradient: UnsafeMutablePointer<Double>) {
    direct(.backwardInput, g, inputGradient, UnsafeMutablePointer(mutating: weight), UnsafeMutablePointer(mutating: outputGradient))
}
public func convolutionBackwardWeight(_ g: ConvolutionGeometry, input: UnsafePointer<Double>, outputGradient: UnsafePointer<Double>, weightGradient: UnsafeMutablePointer<Double>) {
    direct(.backwardWeight, g, UnsafeMutablePointer(mutating: input), weightGradient, UnsafeMutablePointer(mutating: outputGradient))
}

private func direct<T: KernelFloat>(_ pass: Pass, _ g: ConvolutionGeometry, _ x: UnsafeMutablePointer<T>,
                                    _ w: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>) {
    let rank = g.inputSize.count
    let inputCount = g.inputSize.reduce(1, *), outputCount = g.outputSize.reduce(1, *)
    let kernelCount = g.kernelSize.reduce(1, *)
    let inPerGroup = g.inputChannels / g.groups, outPerGroup = g.outputChannels / g.groups
    switch pass {
    case .forward: y.update(repeating: 0, count: g.batch * g.outputChannels * outputCount)
    case .backwardInput: x.update(repeating: 0, count: g.batch * g.inputChannels * inputCount)
    case .backwardWeight: w.update(repeating: 0, count: g.outputChannels * inPerGroup * kernelCount)
    }
    let outputSize = g.outputSize
    for n in 0..<g.batch {
        for o in 0..<g.outputChannels {
            let group = o / outPerGroup
            for position in 0..<outputCount {
                for tap in 0..<kernelCount {
                    var inputOffset = 0
                    var valid = true
                    var remainderP = position, remainderT = tap
                    var scale = 1
                    for axis in stride(from: rank - 1, through: 0, by: -1) {
                        let out = remainderP % outputSize[axis]; remainderP /= outputSize[axis]
                        let k = remainderT % g.kernelSize[axis]; remainderT /= g.kernelSize[axis]
                        var index = out * g.stride[axis] - g.padding[axis] + k * g.dilation[axis]
                        let size = g.inputSize[axis]
                        if index < 0 || index >= size {
                            if g.paddingMode == .circular { index = (index % size + size) % size } else { valid = false }
                        }
                        inputOffset += index * scale
                        scale *= size
                    }
                    guard valid else { continue }
                    for c in 0..<inPerGroup {
                        let xi = (n * g.inputChannels + group * inPerGroup + c) * inputCount + inputOffset
                        let wi = (o * inPerGroup + c) * kernelCount + tap
                        let yi = (n * g.outputChannels + o) * outputCount + position
                        switch pass {
                        case .forward: y[yi] += x[xi] * w[wi]
                        case .backwardInput: x[xi] += y[yi] * w[wi]
                        case .backwardWeight: w[wi] += y[yi] * x[xi]
                        }
                    }
                }
            }
        }
    }
}
