import Foundation
import Orbit
import Testing
@testable import OrbitDatasets

/// The reference's frame for one 28x28 digit, computed independently of Orbit: pad to 40x40 by 6, sample
/// bilinearly with zeros outside through the normalized grid of affine_grid/grid_sample with
/// align_corners=True and θ = [[cos, -sin, 0], [sin, cos, 0]], crop rows and columns 6..<34.
private func referenceFrame(_ image: [Float], degrees: Double) -> [Float] {
    let (c, s) = (cos(degrees * .pi / 180), sin(degrees * .pi / 180))
    func padded(_ row: Int, _ column: Int) -> Double {
        let (y, x) = (row - 6, column - 6)
        return (0..<28).contains(y) && (0..<28).contains(x) ? Double(image[y * 28 + x]) : 0
    }
    var frame = [Float](repeating: 0, count: 28 * 28)
    for row in 0..<28 {
        for column in 0..<28 {
            let (xNormalized, yNormalized) = (2 * Double(column + 6) / 39 - 1, 2 * Double(row + 6) / 39 - 1)
            let (xSource, ySource) = (c * xNormalized - s * yNormalized, s * xNormalized + c * yNormalized)
            let (x, y) = ((xSource + 1) / 2 * 39, (ySource + 1) / 2 * 39)
            let (x0, y0) = (Int(floor(x)), Int(floor(y)))
            let (fx, fy) = (x - Double(x0), y - Double(y0))
            var value = 0.0
            for (dy, wy) in [(0, 1 - fy), (1, fy)] {
                for (dx, wx) in [(0, 1 - fx), (1, fx)] where (0..<40).contains(y0 + dy) && (0..<40).contains(x0 + dx) {
                    value += wy * wx * padded(y0 + dy, x0 + dx)
                }
            }
            frame[row * 28 + column] = Float(value)
        }
    }
    return frame
}

/// The centroid of a frame's ink relative to the image centre, as an angle in degrees counter-clockwise
/// from the +x axis as displayed (y up), in [0, 360).
private func inkAngle(_ frame: ArraySlice<Float>, size: Int) -> Double {
    var (sumY, sumX, mass) = (0.0, 0.0, 0.0)
    for (offset, value) in frame.enumerated() {
        let (row, column) = (offset / size, offset % size)
        sumY += Double(value) * Double(row)
        sumX += Double(value) * Double(column)
        mass += Double(value)
    }
    let centre = Double(size - 1) / 2
    let angle = atan2(-(sumY / mass - centre), sumX / mass - centre) * 180 / .pi
    return angle < 0 ? angle + 360 : angle
}

private func angularDistance(_ a: Double, _ b: Double) -> Double {
    let difference = abs((a - b).truncatingRemainder(dividingBy: 360))
    return min(difference, 360 - difference)
}

@Test func framesMatchTheReferencePadRotateCropWithAlignCorners() {
    let pool = syntheticDigitPool(count: 6)
    let dataset = RotatingMNIST(digits: pool, count: 3, seed: 8, configuration: .init(frameCount: 3, digitCount: 1))
    for sequence in dataset {
        let digit = sequence.metadata[0]
        for time in 0..<3 {
            let expected = referenceFrame(pool.image(digit.sourceIndex), degrees: digit.angle(atFrame: time))
            let worst = zip(sequence.frame(time), expected).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-4, "frame \(time) differs from the reference by \(worst)")
        }
    }
}

@Test func twoDigitFramesAreTheClampedSumOfEachDigitsReferenceRotation() {
    let pool = syntheticDigitPool(count: 6, seed: 7)
    let dataset = RotatingMNIST(digits: pool, count: 2, seed: 3, configuration: .init(frameCount: 2))
    var clamped = 0
    for sequence in dataset {
        #expect(sequence.metadata.count == 2)
        for time in 0..<2 {
            let parts = sequence.metadata.map { referenceFrame(pool.image($0.sourceIndex), degrees: $0.angle(atFrame: time)) }
            let sum = zip(parts[0], parts[1]).map { $0 + $1 }
            clamped += sum.filter { $0 > 1 }.count
            let worst = zip(sequence.frame(time), sum.map { min($0, 1) }).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-4, "frame \(time) differs from the clamped sum by \(worst)")
        }
    }
    #expect(clamped > 0)   // the digits overlap, so the clamp is exercised
}

@Test func positiveAngularVelocityTurnsContentCounterClockwiseAsDisplayed() {
    // A square right of the centre: its centroid sits at about 3.8 degrees (7.5 px right, 0.5 px up).
    let pool = squareDigitPool(row: 12, column: 20)
    let dataset = RotatingMNIST(digits: pool, count: 4, seed: 2,
                                configuration: .init(frameCount: 5, digitCount: 1, angularVelocities: [30]))
    let startAngle = atan2(0.5, 7.5) * 180 / .pi
    for sequence in dataset {
        let digit = sequence.metadata[0]
        #expect(digit.angularVelocity == 30 && (0..<360).contains(digit.initialAngle))
        for time in 0..<5 {
            let expected = startAngle + digit.initialAngle + 30 * Double(time)
            #expect(angularDistance(inkAngle(sequence.frame(time), size: 28), expected) < 1.5)
        }
    }
}

@Test func nextFrameIsThisFrameRotatedByOmegaNotMinusOmega() {
    let pool = syntheticDigitPool(count: 6)
    let dataset = RotatingMNIST(digits: pool, count: 2, seed: 5,
                                configuration: .init(frameCount: 4, digitCount: 1, angularVelocities: [20]))
    func rotated(_ frame: Tensor, degrees: Double) -> [Float] {
        affineResample(frame.reshaped([1, 1, 28, 28]), theta: rotationTheta(angle: degrees * .pi / 180)).scalars(as: Float.self)
    }
    func distance(_ a: [Float], _ b: ArraySlice<Float>) -> Float { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
    for sequence in dataset {
        for time in 0..<3 {
            let frame = frameTensor(sequence, time)
            let forward = distance(rotated(frame, degrees: 20), sequence.frame(time + 1))
            let backward = distance(rotated(frame, degrees: -20), sequence.frame(time + 1))
            // Resampling twice blurs, so not equal; but far closer than the opposite turn.
            #expect(forward < 0.2 * backward, "forward \(forward), backward \(backward)")
        }
    }
}

@Test func valuesStayInRangeVelocitiesAreUniformAndSetsFixed() {
    let tiny = syntheticDigitPool(count: 5, size: 8, seed: 3)
    let velocities: [Double] = [-20, -10, 0, 10, 20]
    let dataset = RotatingMNIST(digits: tiny, count: 1500, seed: 4,
                                configuration: .init(frameCount: 1, imageSize: 8, angularVelocities: velocities))
    var counts = [Int](repeating: 0, count: velocities.count)
    var quadrants = [Int](repeating: 0, count: 4)
    for sequence in dataset {
        #expect(sequence.frames.allSatisfy { $0 >= 0 && $0 <= 1 })
        for digit in sequence.metadata {
            counts[velocities.firstIndex(of: digit.angularVelocity)!] += 1
            quadrants[Int(digit.initialAngle / 90)] += 1
        }
    }
    #expect(chiSquareAgainstUniform(counts) < 18.5, "velocity counts \(counts)")      // 4 dof, P = 0.001
    #expect(chiSquareAgainstUniform(quadrants) < 16.3, "angle quadrants \(quadrants)") // 3 dof, P = 0.001
    let fixed = RotatingMNIST.fixedAngularVelocity(-50, digits: tiny, count: 3, seed: 1, frameCount: 2, imageSize: 8)
    #expect(fixed.allSatisfy { $0.metadata.allSatisfy { $0.angularVelocity == -50 } })
    #expect(fixed[1] == fixed.resampled(epoch: 3)[1])
    let training = RotatingMNIST(digits: tiny, count: 3, seed: 1, resamplesEachEpoch: true)
    #expect(training[1].metadata != training.resampled(epoch: 3)[1].metadata)
}
