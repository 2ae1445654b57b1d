import Foundation
import Orbit
import Testing
@testable import OrbitDatasets

// Translating MNIST with controlled flow-symmetry breaking (issue 17, part 4): level 0 is the exact
// dataset, every sequence is a pure function of (seed, epoch, index), the motion follows its kind's
// equation, frames are bilinear samples of the digit, and the departure from integer flows grows with
// the level.

private let pool = syntheticDigitPool()
private let velocities = PixelVector.horizontal(-2...2)

private func dataset(_ breaking: FlowBreaking, count: Int = 8, seed: UInt64 = 5, digitCount: Int = 2, frameCount: Int = 10,
                     resamplesEachEpoch: Bool = false) -> ImperfectTranslatingMNIST {
    ImperfectTranslatingMNIST(digits: pool, count: count, seed: seed,
                              configuration: .init(frameCount: frameCount, digitCount: digitCount, velocities: velocities,
                                                   breaking: breaking),
                              resamplesEachEpoch: resamplesEachEpoch)
}

@Test(arguments: FlowBreaking.Kind.allCases)
func levelZeroIsTranslatingMNISTFrameForFrame(_ kind: FlowBreaking.Kind) {
    let imperfect = dataset(FlowBreaking(kind, level: 0), resamplesEachEpoch: true)
    let exact = TranslatingMNIST(digits: pool, count: 8, seed: 5, configuration: .init(frameCount: 10, velocities: velocities),
                                 resamplesEachEpoch: true)
    for epoch in [0, 3] {
        for index in 0..<8 {
            let (a, b) = (imperfect.resampled(epoch: epoch)[index], exact.resampled(epoch: epoch)[index])
            #expect(a.frames == b.frames, "\(kind), epoch \(epoch), sequence \(index)")
            #expect(a.metadata.map(\.velocity) == b.metadata.map(\.trajectory.velocity))
            #expect(a.metadata.allSatisfy { $0.integerFlowDeparture == 0 })
            for (digit, trajectory) in zip(a.metadata, b.metadata.map(\.trajectory)) {
                #expect(digit.positions == (0..<10).map { let o = trajectory.offset(atFrame: $0); return SIMD2(Double(o.y), Double(o.x)) })
            }
        }
    }
}

@Test(arguments: FlowBreaking.Kind.allCases)
func sequencesArePureFunctionsOfSeedEpochAndIndex(_ kind: FlowBreaking.Kind) {
    let first = dataset(FlowBreaking(kind, level: 2), resamplesEachEpoch: true)
    let again = dataset(FlowBreaking(kind, level: 2), resamplesEachEpoch: true)
    #expect(Array((0..<8).reversed().map { first[$0] }.reversed()) == (0..<8).map { again[$0] })
    #expect(first[3].frames != first[4].frames && first[3].frames != dataset(FlowBreaking(kind, level: 2), seed: 6)[3].frames)
    #expect(first.resampled(epoch: 1)[3] == again.resampled(epoch: 1)[3] && first.resampled(epoch: 1)[3].frames != first[3].frames)
    #expect(first[3].shape == [10, 1, 28, 28] && first[3].frames.allSatisfy { $0 >= 0 && $0 <= 1 })
    // The same digits from the same starts at every level: only the departure from the flow changes.
    let level1 = dataset(FlowBreaking(kind, level: 1))[3].metadata
    #expect(level1.map(\.sourceIndex) == first[3].metadata.map(\.sourceIndex) && level1.map { $0.positions[0] } == first[3].metadata.map { $0.positions[0] })
}

@Test func theMotionFollowsItsKindsEquation() {
    let size = 28.0
    for sequence in dataset(FlowBreaking(.drift, level: 2), count: 6) {
        for digit in sequence.metadata {
            let base = SIMD2(Double(digit.velocity.y), Double(digit.velocity.x))
            for t in 0..<9 {
                let centre = digit.positions[t] + size / 2
                let (y, x) = (2 * Double.pi * centre[0] / size, 2 * Double.pi * centre[1] / size)
                let drift = 0.5 * SIMD2(sin(y) * cos(x), -cos(y) * sin(x))
                let step = digit.positions[t + 1] - digit.positions[t] - base - drift
                #expect(abs(step[0]) < 1e-12 && abs(step[1]) < 1e-12)
            }
        }
    }
    var accelerations: [Double] = []
    for sequence in dataset(FlowBreaking(.acceleration, level: 3), count: 6) {
        for digit in sequence.metadata {
            let acceleration = digit.positions[2] - 2 * digit.positions[1] + digit.positions[0]
            for t in 1..<9 {
                let second = digit.positions[t + 1] - 2 * digit.positions[t] + digit.positions[t - 1]
                #expect(abs(second[0] - acceleration[0]) < 1e-12 && abs(second[1] - acceleration[1]) < 1e-12)
            }
            #expect(abs(digit.positions[1][0] - digit.positions[0][0] - Double(digit.velocity.y)) < 1e-12)
            accelerations += [acceleration[0], acceleration[1]]
        }
    }
    #expect(accelerations.allSatisfy { abs($0) <= 0.15 } && accelerations.contains { abs($0) > 0.05 }, "\(accelerations)")
    var jitter: [Double] = []
    for sequence in dataset(FlowBreaking(.noise, level: 2), count: 40) {
        for digit in sequence.metadata {
            for t in 0..<9 {
                let step = digit.positions[t + 1] - digit.positions[t]
                jitter += [step[0] - Double(digit.velocity.y), step[1] - Double(digit.velocity.x)]
            }
        }
    }
    // 1,440 draws of N(0, 0.5²): the sample standard deviation within 10% (about 5 standard errors).
    let deviation = (jitter.reduce(0) { $0 + $1 * $1 } / Double(jitter.count)).squareRoot()
    #expect(abs(deviation - 0.5) < 0.05, "noise standard deviation \(deviation)")
}

@Test(arguments: FlowBreaking.Kind.allCases)
func framesAreBilinearShiftsOfTheFirstFrame(_ kind: FlowBreaking.Kind) {
    // One digit: frame t is frame 0 translated by p_t - p_0 with bilinear interpolation on the torus.
    for sequence in dataset(FlowBreaking(kind, level: 2), count: 4, digitCount: 1) {
        let positions = sequence.metadata[0].positions
        let first = Tensor(Array(sequence.frame(0)), shape: [1, 1, 28, 28])
        for t in 1..<10 {
            let shift = positions[t] - positions[0]
            let expected = translate(first, by: [[shift[0], shift[1]]], interpolation: .bilinear).scalars(as: Float.self)
            let error = zip(sequence.frame(t), expected).map { abs($0 - $1) }.max()!
            #expect(error < 1e-6, "\(kind), frame \(t), shift \(shift): \(error)")
        }
    }
}

@Test func theDeparturesAreDistancesToTheNearestFlows() {
    let flow = (0..<10).map { SIMD2(2 + 3 * Double($0), -1 - Double($0)) }
    #expect(FlowBreaking.integerFlowDeparture(flow) == 0)
    #expect(abs(FlowBreaking.integerFlowDeparture(flow.map { $0 + SIMD2(0.5, 0) }) - 0.5) < 1e-12)
    #expect(abs(FlowBreaking.integerFlowDeparture(flow.map { $0 + SIMD2(0.25, -0.25) }) - 0.25 * 2.squareRoot()) < 1e-12)
    // Half a pixel per frame faster in x: the nearest integer flows are 0.5 px/frame off, best halfway.
    let faster = flow.enumerated().map { t, p in p + SIMD2(0, 0.5 * Double(t)) }
    #expect(FlowBreaking.integerFlowDeparture(faster) > 0.5 && FlowBreaking.integerFlowDeparture(faster) < 2)
    // Any real velocity explains it; a parabola is what no flow explains.
    #expect(FlowBreaking.flowDeparture(faster) < 1e-12 && FlowBreaking.flowDeparture(flow.map { $0 + SIMD2(0.25, -0.25) }) < 1e-12)
    let accelerating = flow.enumerated().map { t, p in p + SIMD2(0.1 * Double(t * t), 0) }
    #expect(FlowBreaking.flowDeparture(accelerating) > 0.5)
}

@Test(arguments: FlowBreaking.Kind.allCases)
func theDepartureFromFlowsGrowsWithTheLevel(_ kind: FlowBreaking.Kind) {
    let digits = (0...4).map { level in dataset(FlowBreaking(kind, level: level), count: 12).flatMap(\.metadata) }
    let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
    let flow = digits.map { mean($0.map(\.flowDeparture)) }, integer = digits.map { mean($0.map(\.integerFlowDeparture)) }
    print("\(kind): departure (px) from the nearest flow by level \(flow); from the nearest integer flow \(integer)")
    #expect(flow[0] < 1e-12 && integer[0] == 0, "\(kind): level 0 is an exact integer flow")
    #expect(zip(flow, flow.dropFirst()).allSatisfy { $0 < $1 }, "\(kind): \(flow)")
    #expect(integer.dropFirst().allSatisfy { $0 > 0.1 }, "\(kind): \(integer)")
    #expect(digits.joined().allSatisfy { $0.integerFlowDeparture >= $0.flowDeparture - 1e-12 })
}
