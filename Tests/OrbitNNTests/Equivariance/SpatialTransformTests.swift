import Foundation
import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// The action of planar groups on feature maps: exact paths against rotated90/flips and against the
// bilinear path, and the left-action law transform(g·h) = transform(g) ∘ transform(h).

@Test func aQuarterTurnIsRotated90OfOne() {
    let x = randomTensor([2, 3, 5, 5], seed: 11)
    expectClose(transformSpatially(x, by: PlanarAction(quarterTurns: 1)), x.rotated90(1), relativeTolerance: 0)
    expectClose(transformSpatially(x, by: PlanarAction(quarterTurns: 0, reflected: true)), x.flipped(axes: [-1]),
                relativeTolerance: 0)
}

@Test(arguments: [false, true])
func exactAndBilinearPathsAgreeOnQuarterTurnsOfSquareImages(reflected: Bool) {
    for size in [5, 6] {
        let x = randomTensor([2, 3, size, size], seed: 12)
        for turns in 0..<4 {
            let action = PlanarAction(quarterTurns: turns, reflected: reflected)
            expectClose(resampleSpatially(x, by: action), transformSpatially(x, by: action), relativeTolerance: 1e-12,
                        "quarter turns \(turns), reflected \(reflected), \(size)×\(size)")
        }
    }
}

@Test func transformingByAProductIsTransformingTwice() {
    let group = DihedralGroup(order: 4)
    let x = randomTensor([1, 2, 4, 4], seed: 13)
    for g in group.elements {
        for h in group.elements {
            let once = transformSpatially(x, by: group.planarAction(of: group.compose(g, h)))
            let twice = transformSpatially(transformSpatially(x, by: group.planarAction(of: h)), by: group.planarAction(of: g))
            expectClose(once, twice, relativeTolerance: 0, "g = \(g), h = \(h)")
        }
    }
}

@Test func bilinearRotationsComposeApproximatelyAwayFromTheBorder() {
    // A smooth bump in the middle of a large image: rotating by 0.3 then 0.4 is close to 0.7.
    let size = 33
    let values = (0..<(size * size)).map { index -> Double in
        let (row, column) = (Double(index / size) - 16, Double(index % size) - 19)
        return exp(-(row * row + column * column) / 18)
    }
    let x = Tensor(values, shape: [1, 1, size, size])
    let twice = resampleSpatially(resampleSpatially(x, by: PlanarAction(angle: 0.3)), by: PlanarAction(angle: 0.4))
    expectClose(twice, resampleSpatially(x, by: PlanarAction(angle: 0.7)), relativeTolerance: 2e-2)
    // A point right of the centre moves up (counter-clockwise as displayed) under a quarter turn.
    let turned = transformSpatially(x, by: PlanarAction(angle: Double.pi / 2 + 1e-3)).doubles
    let peak = turned.indices.max { turned[$0] < turned[$1] }!
    #expect(peak / size == 16 - 3 && peak % size == 16)
}
