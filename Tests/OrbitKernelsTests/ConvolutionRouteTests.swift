import Testing
@testable import OrbitKernels

// Every single-precision route of every pass against the naive loops, on every test geometry where
// the route applies. The public entry points pick one route per shape; these tests make sure the
// routes the test shapes would not pick are right too (a real model's shapes may pick them).

/// A named Float implementation of one pass, on arrays.
private struct FloatRoute {
    let name: String
    let run: (ConvolutionGeometry, [Float], [Float]) -> [Float]
}

private func calling(
    _ count: @escaping (ConvolutionGeometry) -> Int,
    _ body: @escaping (ConvolutionGeometry, UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
) -> (ConvolutionGeometry, [Float], [Float]) -> [Float] {
    { geometry, first, second in
        [Float](unsafeUninitializedCapacity: count(geometry)) { result, initialized in
            body(geometry, first, second, result.baseAddress!)
            initialized = count(geometry)
        }
    }
}

private func forwardRoutes(_ geometry: ConvolutionGeometry) -> [FloatRoute] {
    let layout = ConvolutionLayout(geometry)
    var routes = [
        FloatRoute(name: "GEMM 6x16", run: calling(\.outputElementCount) {
            ConvolutionPass<Float6x16Kernel>.forward($0, input: $1, weight: $2, output: $3) }),
        FloatRoute(name: "GEMM 4x24", run: calling(\.outputElementCount) {
            ConvolutionPass<Float4x24Kernel>.forward($0, input: $1, weight: $2, output: $3) }),
    ]
    if DirectConvolution.appliesToForward(layout) {
        routes.append(FloatRoute(name: "direct", run: calling(\.outputElementCount) {
            DirectConvolution.forward($0, input: $1, weight: $2, output: $3) }))
    }
    return routes
}

private func backwardInputRoutes(_ geometry: ConvolutionGeometry) -> [FloatRoute] {
    [
        FloatRoute(name: "public", run: calling(\.inputElementCount) {
            convolutionBackwardInput($0, outputGradient: $1, weight: $2, inputGradient: $3) }),
        FloatRoute(name: "col2im 6x16", run: calling(\.inputElementCount) {
            ConvolutionPass<Float6x16Kernel>.backwardInput($0, outputGradient: $1, weight: $2, inputGradient: $3) }),
        FloatRoute(name: "col2im 4x24", run: calling(\.inputElementCount) {
            ConvolutionPass<Float4x24Kernel>.backwardInput($0, outputGradient: $1, weight: $2, inputGradient: $3) }),
    ]
}

private func backwardWeightRoutes(_ geometry: ConvolutionGeometry) -> [FloatRoute] {
    var routes = [
        FloatRoute(name: "GEMM 6x16", run: calling(\.weightElementCount) {
            ConvolutionPass<Float6x16Kernel>.backwardWeight($0, input: $1, outputGradient: $2, weightGradient: $3) }),
        FloatRoute(name: "GEMM 4x24", run: calling(\.weightElementCount) {
            ConvolutionPass<Float4x24Kernel>.backwardWeight($0, input: $1, outputGradient: $2, weightGradient: $3) }),
    ]
    if DirectConvolution.appliesToWeightGradient(ConvolutionLayout(geometry)) {
        routes.append(FloatRoute(name: "direct", run: calling(\.weightElementCount) {
            DirectConvolution.backwardWeight($0, input: $1, outputGradient: $2, weightGradient: $3) }))
    }
    return routes
}

/// Forward: each output within 2·(length + 2)·u·Σ|w·x| of the Double reference (as the public test).
/// Backward: sums of at most a few hundred terms of magnitude <= 1, within 1e4·u.
@Test(arguments: convolutionCases)
func everyFloatRouteMatchesNaiveLoop(test: ConvolutionCase) {
    let geometry = test.geometry
    let (x, w, dy) = inputs(geometry, seed: 77)
    let (xf, wf, dyf) = (x.map { Float($0) }, w.map { Float($0) }, dy.map { Float($0) })
    let reference = referenceForward(geometry, input: x, weight: w)
    let length = Double(geometry.inputChannels / geometry.groups * geometry.kernelSize.reduce(1, *))
    for route in forwardRoutes(geometry) {
        let output = route.run(geometry, xf, wf)
        let worst = zip(output, zip(reference.output, reference.magnitude)).map { value, expected in
            abs(Double(value) - expected.0) / max(2 * (length + 2) * 0x1p-24 * expected.1, .leastNormalMagnitude)
        }.max() ?? 0
        #expect(worst <= 1, "forward \(route.name), \(test.testDescription): error \(worst)x the bound")
    }
    let tolerance = 1e4 * 0x1p-24
    let expectedInput = referenceBackwardInput(geometry, outputGradient: dy, weight: w)
    for route in backwardInputRoutes(geometry) {
        let dx = route.run(geometry, dyf, wf)
        #expect(zip(dx, expectedInput).allSatisfy { abs(Double($0) - $1) <= tolerance },
                "input gradient \(route.name), \(test.testDescription)")
    }
    let expectedWeight = referenceBackwardWeight(geometry, input: x, outputGradient: dy)
    for route in backwardWeightRoutes(geometry) {
        let dw = route.run(geometry, xf, dyf)
        #expect(zip(dw, expectedWeight).allSatisfy { abs(Double($0) - $1) <= tolerance },
                "weight gradient \(route.name), \(test.testDescription)")
    }
}

/// The direct kernels are reached by the test geometries, with multi-row, multi-segment outputs.
@Test func directRoutesAreCovered() {
    let layouts = convolutionCases.map { ConvolutionLayout($0.geometry) }
    #expect(layouts.filter(DirectConvolution.appliesToForward).count >= 20)
    #expect(layouts.filter(DirectConvolution.appliesToWeightGradient).count >= 20)
    #expect(layouts.contains { DirectConvolution.appliesToForward($0) && $0.outputSize[2] > 32 })
}
