import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// `scaleVelocityFrames`, the scaling design's action for CLCNN's hinge penalty: (g_s·u)(p) = s·u(p/s)
// about the frame's centre. Checked on fields whose image is known exactly: the identity at s = 1,
// constants (multiplied by s inside, zero where a shrunk frame no longer reaches), and a linear field
// u(p) = p, which the action leaves unchanged.

/// Element [0, channel, row, column] of a [1, C, H, W] tensor.
private func value(_ x: Tensor, _ channel: Int, _ row: Int, _ column: Int) -> Double {
    let (height, width) = (x.shape[2], x.shape[3])
    return x.doubles[(channel * height + row) * width + column]
}

@Test func scaleFactorOneIsTheIdentity() {
    let x = randomTensor([2, 4, 9, 8], seed: 31)
    expectClose(scaleVelocityFrames(x, by: 1), x, relativeTolerance: 1e-15)
}

@Test func constantFramesAreMultipliedByTheFactorWhereTheFrameStillReaches() {
    let constant = Tensor.full([1, 2, 8, 8], value: 0.3, dtype: .float64)
    // Magnified by 2: every output pixel samples the middle of the frame.
    expectClose(scaleVelocityFrames(constant, by: 2), Tensor.full([1, 2, 8, 8], value: 0.6, dtype: .float64), relativeTolerance: 1e-14)
    // Shrunk by 2: the middle holds 0.15, the corners sample outside the frame (zeros).
    let shrunk = scaleVelocityFrames(constant, by: 0.5)
    #expect(abs(value(shrunk, 0, 3, 4) - 0.15) < 1e-14 && abs(value(shrunk, 1, 4, 3) - 0.15) < 1e-14)
    #expect(value(shrunk, 0, 0, 0) == 0 && value(shrunk, 1, 7, 7) == 0)
}

@Test func aLinearFieldThroughTheCentreIsLeftUnchanged() {
    // u = column - centre, v = centre - row: s·u(p/s) = p.
    let size = 9
    let centre = Double(size - 1) / 2
    let u = (0..<size).flatMap { _ in (0..<size).map { Double($0) - centre } }
    let v = (0..<size).flatMap { row in (0..<size).map { _ in centre - Double(row) } }
    let field = Tensor(u + v, shape: [1, 2, size, size], dtype: .float64)
    for factor in [1.25, 1.5, 3] {
        expectClose(scaleVelocityFrames(field, by: factor), field, relativeTolerance: 1e-14, "factor \(factor)")
    }
    // Shrunk by 0.8: unchanged wherever p/s still lies between pixel centres (|p| <= 3.2 here).
    let shrunk = scaleVelocityFrames(field, by: 0.8)
    for (row, column) in [(4, 4), (3, 5), (2, 2), (6, 1)] {
        #expect(abs(value(shrunk, 0, row, column) - (Double(column) - centre)) < 1e-13, "(\(row), \(column))")
    }
}
