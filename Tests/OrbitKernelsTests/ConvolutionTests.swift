import Testing
@testable import OrbitKernels

/// Scalars with public convolution entry points, called on arrays.
protocol ConvolutionTestScalar: KernelTestScalar {
    static func forward(_ geometry: ConvolutionGeometry, input: [Self], weight: [Self]) -> [Self]
    static func backwardInput(_ geometry: ConvolutionGeometry, outputGradient: [Self], weight: [Self]) -> [Self]
    static func backwardWeight(_ geometry: ConvolutionGeometry, input: [Self], outputGradient: [Self]) -> [Self]
}

extension Float: ConvolutionTestScalar {
    static func forward(_ geometry: ConvolutionGeometry, input: [Float], weight: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: geometry.outputElementCount) { output, count in
            convolutionForward(geometry, input: input, weight: weight, output: output.baseAddress!)
            count = geometry.outputElementCount
        }
    }
    static func backwardInput(_ geometry: ConvolutionGeometry, outputGradient: [Float], weight: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: geometry.inputElementCount) { gradient, count in
            convolutionBackwardInput(geometry, outputGradient: outputGradient, weight: weight, inputGradient: gradient.baseAddress!)
            count = geometry.inputElementCount
        }
    }
    static func backwardWeight(_ geometry: ConvolutionGeometry, input: [Float], outputGradient: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: geometry.weightElementCount) { gradient, count in
            convolutionBackwardWeight(geometry, input: input, outputGradient: outputGradient, weightGradient: gradient.baseAddress!)
            count = geometry.weightElementCount
        }
    }
}

extension Double: ConvolutionTestScalar {
    static func forward(_ geometry: ConvolutionGeometry, input: [Double], weight: [Double]) -> [Double] {
        [Double](unsafeUninitializedCapacity: geometry.outputElementCount) { output, count in
            convolutionForward(geometry, input: input, weight: weight, output: output.baseAddress!)
            count = geometry.outputElementCount
        }
    }
    static func backwardInput(_ geometry: ConvolutionGeometry, outputGradient: [Double], weight: [Double]) -> [Double] {
        [Double](unsafeUninitializedCapacity: geometry.inputElementCount) { gradient, count in
            convolutionBackwardInput(geometry, outputGradient: outputGradient, weight: weight, inputGradient: gradient.baseAddress!)
            count = geometry.inputElementCount
        }
    }
    static func backwardWeight(_ geometry: ConvolutionGeometry, input: [Double], outputGradient: [Double]) -> [Double] {
        [Double](unsafeUninitializedCapacity: geometry.weightElementCount) { gradient, count in
            convolutionBackwardWeight(geometry, input: input, outputGradient: outputGradient, weightGradient: gradient.baseAddress!)
            count = geometry.weightElementCount
        }
    }
}

/// A geometry as a test argument.
struct ConvolutionCase: Sendable, CustomTestStringConvertible {
    let geometry: ConvolutionGeometry
    var testDescription: String {
        let g = geometry
        return "N\(g.batch) C\(g.inputChannels)->\(g.outputChannels) g\(g.groups) in\(g.inputSize) k\(g.kernelSize)"
            + " s\(g.stride) p\(g.padding) d\(g.dilation) \(g.paddingMode == .zeros ? "zeros" : "circular")"
    }
}

/// Seeded random geometries over rank 1-3, batch 1-3, groups 1-3, kernel 1-5, stride 1-3, dilation
/// 1-2, zero and circular padding (circular padding up to the full input size, zero padding beyond
/// the kernel radius), plus hand-picked corner cases.
let convolutionCases: [ConvolutionCase] = {
    var random = SeededRandom(seed: 2024)
    var cases: [ConvolutionCase] = []
    for index in 0..<72 {
        let rank = index % 3 + 1
        let circular = index % 2 == 1
        let groups = random.nextInt(in: 1...3)
        var inputSize: [Int] = [], kernelSize: [Int] = [], stride: [Int] = [], padding: [Int] = [], dilation: [Int] = []
        for _ in 0..<rank {
            let size = random.nextInt(in: 1...(rank == 1 ? 13 : rank == 2 ? 9 : 5))
            let pad = random.nextInt(in: 0...(circular ? min(size, 3) : 3))
            var dilate = random.nextInt(in: 1...2)
            var kernel = random.nextInt(in: 1...5)
            // Shrink until the output is non-empty: d(k - 1) <= in + 2p - 1.
            while dilate * (kernel - 1) > size + 2 * pad - 1 {
                if kernel > 1 { kernel -= 1 } else { dilate = 1 }
            }
            inputSize.append(size); kernelSize.append(kernel); padding.append(pad); dilation.append(dilate)
            stride.append(random.nextInt(in: 1...3))
        }
        cases.append(ConvolutionCase(geometry: ConvolutionGeometry(
            batch: random.nextInt(in: 1...3), inputChannels: groups * random.nextInt(in: 1...3),
            outputChannels: groups * random.nextInt(in: 1...3), groups: groups, inputSize: inputSize,
            kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
            paddingMode: circular ? .circular : .zeros)))
    }
    let corners = [
        // Output size 1; a kernel covering the whole padded input.
        ConvolutionGeometry(batch: 2, inputChannels: 3, outputChannels: 2, inputSize: [4, 4], kernelSize: [6, 6],
                            stride: [1, 1], padding: [1, 1], dilation: [1, 1]),
        // Circular padding equal to the input size (wraps more than a kernel radius), rank 3.
        ConvolutionGeometry(batch: 1, inputChannels: 2, outputChannels: 3, inputSize: [2, 3, 3], kernelSize: [3, 2, 3],
                            stride: [1, 2, 1], padding: [2, 3, 3], dilation: [2, 1, 1], paddingMode: .circular),
        // Stride larger than the kernel, no padding; 1x1 kernel.
        ConvolutionGeometry(batch: 3, inputChannels: 4, outputChannels: 6, groups: 2, inputSize: [11, 7],
                            kernelSize: [1, 1], stride: [3, 2], padding: [0, 0], dilation: [1, 1]),
        // Wide enough rows for the vector packing paths (runs across output rows), rank 1 and 2.
        ConvolutionGeometry(batch: 2, inputChannels: 3, outputChannels: 7, inputSize: [40], kernelSize: [3],
                            stride: [1], padding: [1], dilation: [1], paddingMode: .circular),
        ConvolutionGeometry(batch: 2, inputChannels: 2, outputChannels: 5, inputSize: [19, 21], kernelSize: [3, 5],
                            stride: [1, 1], padding: [1, 2], dilation: [1, 1]),
        ConvolutionGeometry(batch: 1, inputChannels: 1, outputChannels: 8, inputSize: [12, 12], kernelSize: [3, 3],
                            stride: [1, 1], padding: [1, 1], dilation: [1, 1], paddingMode: .circular),
        // Eight or more input channels per group and unit strides: the input gradient runs as a
        // flipped forward convolution (zero padding up to the dilated kernel extent, circular padding
        // that keeps the size); the last one pads wider than the kernel and takes the im2col route.
        ConvolutionGeometry(batch: 2, inputChannels: 8, outputChannels: 5, inputSize: [9, 7], kernelSize: [3, 2],
                            stride: [1, 1], padding: [1, 0], dilation: [1, 1]),
        ConvolutionGeometry(batch: 1, inputChannels: 16, outputChannels: 6, groups: 2, inputSize: [11], kernelSize: [4],
                            stride: [1], padding: [6], dilation: [2]),
        ConvolutionGeometry(batch: 2, inputChannels: 9, outputChannels: 4, inputSize: [4, 5, 6], kernelSize: [3, 1, 5],
                            stride: [1, 1, 1], padding: [1, 0, 2], dilation: [1, 1, 1], paddingMode: .circular),
        ConvolutionGeometry(batch: 1, inputChannels: 8, outputChannels: 8, inputSize: [10, 10], kernelSize: [3, 3],
                            stride: [1, 1], padding: [2, 2], dilation: [2, 2], paddingMode: .circular),
        ConvolutionGeometry(batch: 1, inputChannels: 8, outputChannels: 3, inputSize: [6, 6], kernelSize: [3, 3],
                            stride: [1, 1], padding: [3, 1], dilation: [1, 1]),
        // Output rows wider than the direct kernels' 32-pixel segments (one and three output channels).
        ConvolutionGeometry(batch: 2, inputChannels: 2, outputChannels: 2, groups: 2, inputSize: [70], kernelSize: [3],
                            stride: [1], padding: [1], dilation: [1], paddingMode: .circular),
        ConvolutionGeometry(batch: 1, inputChannels: 3, outputChannels: 3, inputSize: [5, 41], kernelSize: [3, 3],
                            stride: [2, 1], padding: [1, 1], dilation: [1, 2]),
    ]
    return cases + corners.map(ConvolutionCase.init)
}()

func inputs(_ geometry: ConvolutionGeometry, seed: UInt64) -> (x: [Double], w: [Double], dy: [Double]) {
    var random = SeededRandom(seed: seed)
    return (random.values(Double.self, count: geometry.inputElementCount),
            random.values(Double.self, count: geometry.weightElementCount),
            random.values(Double.self, count: geometry.outputElementCount))
}

/// Forward against the naive loop. Each output is a dot product of length (C_in/groups)·ΠK, so its
/// error is within 2·(length + 2)·u·Σ|w·x| as in the GEMM tests (Float inputs are exact in both).
private func checkForward<Scalar: ConvolutionTestScalar>(_ type: Scalar.Type, _ test: ConvolutionCase) {
    let geometry = test.geometry
    let (x, w, _) = inputs(geometry, seed: UInt64(geometry.inputElementCount * 31 + geometry.weightElementCount))
    let reference = referenceForward(geometry, input: x, weight: w)
    let output = Scalar.forward(geometry, input: x.map { Scalar($0) }, weight: w.map { Scalar($0) })
    let length = Double(geometry.inputChannels / geometry.groups * geometry.kernelSize.reduce(1, *))
    let worst = zip(output, zip(reference.output, reference.magnitude)).map { value, expected in
        abs(Double(value) - expected.0) / max(2 * (length + 2) * Scalar.unitRoundoff * expected.1, .leastNormalMagnitude)
    }.max() ?? 0
    #expect(worst <= 1, "\(Scalar.self) \(test.testDescription): error \(worst)x the bound")
}

@Test(arguments: convolutionCases)
func convolutionForwardMatchesNaiveLoop(test: ConvolutionCase) {
    checkForward(Float.self, test)
    checkForward(Double.self, test)
}

@Test(arguments: convolutionCases.filter { $0.geometry.inputSize.count == 2 && $0.geometry.groups == 1 })
func naiveReferencesAgree(test: ConvolutionCase) {
    let (x, w, _) = inputs(test.geometry, seed: 5)
    let generic = referenceForward(test.geometry, input: x, weight: w).output
    let plain = referenceForward2D(test.geometry, input: x, weight: w)
    #expect(zip(generic, plain).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
}

/// <conv(x, w), dy> = <x, backwardInput(dy, w)> = <w, backwardWeight(x, dy)>, exactly in real
/// arithmetic. In Double each side is within ~(length)·u·||y||·||dy|| of it, far below 1e-12 relative
/// to ||y||·||dy|| for these sizes, while any wrong index changes the sums at order one.
@Test(arguments: convolutionCases)
func convolutionBackwardPassesAreAdjoints(test: ConvolutionCase) {
    let geometry = test.geometry
    let (x, w, dy) = inputs(geometry, seed: UInt64(geometry.outputElementCount * 17 + 3))
    let y = Double.forward(geometry, input: x, weight: w)
    let dx = Double.backwardInput(geometry, outputGradient: dy, weight: w)
    let dw = Double.backwardWeight(geometry, input: x, outputGradient: dy)
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    let scale = (dot(y, y) * dot(dy, dy)).squareRoot() + (dot(x, x) * dot(dx, dx)).squareRoot()
        + (dot(w, w) * dot(dw, dw)).squareRoot()
    let forwardSide = dot(y, dy)
    #expect(abs(forwardSide - dot(x, dx)) <= 1e-12 * scale, "input adjoint, \(test.testDescription)")
    #expect(abs(forwardSide - dot(w, dw)) <= 1e-12 * scale, "weight adjoint, \(test.testDescription)")
}

/// Backward passes against the naive loops, element by element, for every eighth case (the
/// adjoint test covers the rest), in Float and Double.
@Test(arguments: convolutionCases.enumerated().filter { $0.offset % 8 == 0 }.map(\.element))
func convolutionBackwardMatchesNaiveLoop(test: ConvolutionCase) {
    let geometry = test.geometry
    let (x, w, dy) = inputs(geometry, seed: 99)
    let expectedInput = referenceBackwardInput(geometry, outputGradient: dy, weight: w)
    let expectedWeight = referenceBackwardWeight(geometry, input: x, outputGradient: dy)
    func check<Scalar: ConvolutionTestScalar>(_ type: Scalar.Type) {
        let dx = Scalar.backwardInput(geometry, outputGradient: dy.map { Scalar($0) }, weight: w.map { Scalar($0) })
        let dw = Scalar.backwardWeight(geometry, input: x.map { Scalar($0) }, outputGradient: dy.map { Scalar($0) })
        // Sums of at most a few hundred terms of magnitude <= 1: 1e4·u bounds their rounding.
        let tolerance = 1e4 * Scalar.unitRoundoff
        #expect(zip(dx, expectedInput).allSatisfy { abs(Double($0) - $1) <= tolerance }, "\(Scalar.self) input, \(test.testDescription)")
        #expect(zip(dw, expectedWeight).allSatisfy { abs(Double($0) - $1) <= tolerance }, "\(Scalar.self) weight, \(test.testDescription)")
    }
    check(Float.self)
    check(Double.self)
}

/// All three passes give bit-identical results with one and with two threads, on geometries large
/// enough to be split into parallel chunks (GEMM tiles, image groups with partial sums, image planes);
/// the first takes the flipped-forward input gradient, the second (strided) the im2col one, the third
/// (two output channels) the direct forward and weight-gradient kernels.
@Test func convolutionIsIndependentOfThreadCount() {
    let geometries = [
        ConvolutionGeometry(batch: 3, inputChannels: 16, outputChannels: 24, inputSize: [24, 24], kernelSize: [3, 3],
                            stride: [1, 1], padding: [1, 1], dilation: [1, 1]),
        ConvolutionGeometry(batch: 2, inputChannels: 24, outputChannels: 24, groups: 3, inputSize: [6, 14, 14],
                            kernelSize: [3, 3, 3], stride: [1, 2, 1], padding: [1, 1, 2], dilation: [1, 1, 2],
                            paddingMode: .circular),
        ConvolutionGeometry(batch: 4, inputChannels: 32, outputChannels: 2, inputSize: [32, 32], kernelSize: [3, 3],
                            stride: [1, 1], padding: [1, 1], dilation: [1, 1]),
    ]
    for geometry in geometries {
        let (x, w, dy) = inputs(geometry, seed: 8)
        let (xf, wf, dyf) = (x.map { Float($0) }, w.map { Float($0) }, dy.map { Float($0) })
        func passes() -> [[Float]] {
            [Float.forward(geometry, input: xf, weight: wf),
             Float.backwardInput(geometry, outputGradient: dyf, weight: wf),
             Float.backwardWeight(geometry, input: xf, outputGradient: dyf)]
        }
        let single = withThreadCount(1, passes)
        let double = withThreadCount(2, passes)
        for (index, name) in ["forward", "backward input", "backward weight"].enumerated() {
            #expect(bitwiseEqual(single[index], double[index]), "\(name), \(ConvolutionCase(geometry: geometry).testDescription)")
        }
    }
}

/// The corner cases above do reach both input-gradient routes (the adjoint test then covers each).
@Test func inputGradientRouteFollowsGeometry() {
    let flippedRoute = convolutionCases.filter { $0.geometry.inputGradientConvolution != nil }
    #expect(flippedRoute.count == 4)
    let wide = convolutionCases[convolutionCases.count - 3].geometry
    #expect(wide.inputChannels == 8 && wide.inputGradientConvolution == nil)
    var strided = convolutionCases[convolutionCases.count - 7].geometry
    strided.stride = [2, 1]
    #expect(strided.inputGradientConvolution == nil)
}
