import Foundation
import Orbit
import OrbitCommandLine
import OrbitNN

// Prints the table in Docs/Equivariance.md: the measured equivariance error ‖f(g·x) - g·f(x)‖ / ‖f(x)‖
// of a small C8 network (lifting convolution, ReLU, group convolution; 3x3 kernels, 'same' padding)
// by rotation angle, padding mode, input size and stride, in float64, with random inputs and weights.
//
//     swift run -c release EquivarianceReport
//
// 90° rotations map the pixel grid onto itself, so equivariance is exact up to rounding wherever the
// grid of output samples is symmetric too; 45° rotations need interpolation (of the filters inside the
// layer and of the test input), so their error is that of bilinear resampling, not of the layer alone.
// The second table shows where it comes from: a smooth filter rotated by 45° is interpolated well when
// the kernel is large, badly when it is 3x3 (its corner taps land outside the 3x3 grid).

// No options: the command line is parsed only for --help and to reject anything else (exit status 2).
_ = Arguments.parseOrExit(command: "EquivarianceReport", summary: """
    Prints the tables of Docs/Equivariance.md: the measured equivariance error of a small C8 network by rotation
    angle, padding mode, input size and stride (float64, random inputs and weights), then the 45-degree error of
    one lifting layer with a smooth filter by kernel size. Takes no options.
    """, options: [])

/// Smooth content away from the corners: a sum of Gaussian blobs (width 2 pixels) inside the disc
/// inscribed in the image, which a rotation keeps inside the frame.
func smoothInput(size: Int, using generator: inout RandomGenerator) -> Tensor {
    let centre = Double(size - 1) / 2
    var values = [Double](repeating: 0, count: 2 * size * size)
    for image in 0..<2 {
        for _ in 0..<6 {
            let radius = generator.nextUnitDouble() * (centre - 3), angle = generator.nextUnitDouble() * 2 * .pi
            let (y0, x0) = (centre + radius * sin(angle), centre + radius * cos(angle))
            let weight = generator.nextUnitDouble() * 2 - 1
            for row in 0..<size {
                for column in 0..<size {
                    let distance = (Double(row) - y0) * (Double(row) - y0) + (Double(column) - x0) * (Double(column) - x0)
                    values[(image * size + row) * size + column] += weight * exp(-distance / 8)
                }
            }
        }
    }
    return Tensor(values, shape: [2, 1, size, size])
}

func error(angleElement: Int, paddingMode: PaddingMode, size: Int, stride: Int, smooth: Bool) -> Double {
    let c8 = CyclicGroup(order: 8)
    var generator = RandomGenerator(seed: 1)
    let lifting = LiftingConvolution(group: c8, inputChannels: 1, outputFields: 4, kernelSize: 3, stride: PerAxis(integerLiteral: stride),
                                     padding: 1, paddingMode: paddingMode, dtype: .float64, using: &generator)
    let convolution = GroupConvolution(group: c8, inputFields: 4, outputFields: 4, kernelSize: 3, padding: 1,
                                       paddingMode: paddingMode, dtype: .float64, using: &generator)
    let model = { (x: Tensor) in convolution(relu(lifting(x))) }
    let x = smooth ? smoothInput(size: size, using: &generator) : Tensor.randomNormal([2, 1, size, size], dtype: .float64, using: &generator)
    let output = model(x)
    let transformedInput = lifting.inputType.transform(x, by: angleElement)
    let difference = model(transformedInput) - convolution.outputType.transform(output, by: angleElement)
    return sqrt((difference * difference).sum()).item / sqrt((output * output).sum()).item
}

var rows: [String] = ["| rotation | padding | input size | stride | error, white noise | error, smooth blobs |", "|---|---|---|---|---|---|"]
for (element, angle) in [(2, "90°"), (1, "45°")] {
    for paddingMode in [PaddingMode.zeros, .circular] {
        for size in [15, 16] {
            for stride in [1, 2] {
                let errors = [false, true].map {
                    String(format: "%.1e", error(angleElement: element, paddingMode: paddingMode, size: size, stride: stride, smooth: $0))
                }
                rows.append("| \(angle) | \(paddingMode) | \(size)×\(size) | \(stride) | \(errors[0]) | \(errors[1]) |")
            }
        }
    }
}
print(rows.joined(separator: "\n"))

print()

/// 45° error of a single lifting layer whose filter is one smooth function (a ramp under a Gaussian of
/// width 1.5 pixels) sampled on kernels of growing size, on a smooth input (two Gaussian blobs of width
/// 3 pixels): the filter's interpolation error shrinks once the kernel holds the whole function.
func smoothFilterError(kernel: Int) -> Double {
    let c8 = CyclicGroup(order: 8)
    var generator = RandomGenerator(seed: 2)
    let lifting = LiftingConvolution(group: c8, inputChannels: 1, outputFields: 1, kernelSize: kernel,
                                     padding: PerAxis(integerLiteral: kernel / 2), bias: false, dtype: .float64, using: &generator)
    let centre = Double(kernel - 1) / 2, width = 1.5
    lifting.weight.value = Tensor((0..<(kernel * kernel)).map { index in
        let (y, x) = (Double(index / kernel) - centre, Double(index % kernel) - centre)
        return exp(-(x * x + y * y) / (2 * width * width)) * (x + 0.3 * y)
    }, shape: [1, 1, kernel, kernel])
    let size = 31, middle = Double(size - 1) / 2
    let x = Tensor((0..<(size * size)).map { index in
        let (y, x) = (Double(index / size) - middle, Double(index % size) - middle)
        return exp(-((y - 3) * (y - 3) + (x + 2) * (x + 2)) / 18) - 0.7 * exp(-((y + 4) * (y + 4) + (x - 1) * (x - 1)) / 18)
    }, shape: [1, 1, size, size])
    let output = lifting(x)
    let difference = lifting(lifting.inputType.transform(x, by: 1)) - lifting.outputType.transform(output, by: 1)
    return sqrt((difference * difference).sum()).item / sqrt((output * output).sum()).item
}

var kernelRows = ["| kernel size (smooth filter, 45°) | relative error |", "|---|---|"]
for kernel in [3, 5, 7, 9, 11] {
    kernelRows.append("| \(kernel)×\(kernel) | \(String(format: "%.1e", smoothFilterError(kernel: kernel))) |")
}
print(kernelRows.joined(separator: "\n"))
