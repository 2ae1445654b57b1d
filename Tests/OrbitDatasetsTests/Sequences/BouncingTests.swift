import Orbit
import Testing
@testable import OrbitDatasets

private let square = PixelVector(y: 5, x: 5)

@Test func headOnBoxesExchangeVelocitiesAtTheExactElasticPositions() {
    // Gap 5 closing at 4 px/frame: no contact in frame 1 (gap 1 left), contact a quarter into frame 2.
    var boxes = BouncingBoxes(arenaSize: PixelVector(y: 5, x: 40), sizes: [square, square],
                              positions: [.zero, PixelVector(y: 0, x: 10)],
                              velocities: [PixelVector(y: 0, x: 2), PixelVector(y: 0, x: -2)])
    boxes.step()
    #expect(boxes.positions == [PixelVector(y: 0, x: 2), PixelVector(y: 0, x: 8)])
    #expect(boxes.velocities == [PixelVector(y: 0, x: 2), PixelVector(y: 0, x: -2)])
    boxes.step()
    // A travels +0.5 to touch B, then -1.5: ends at 1; B symmetrically at 9.
    #expect(boxes.velocities == [PixelVector(y: 0, x: -2), PixelVector(y: 0, x: 2)])
    #expect(boxes.positions == [PixelVector(y: 0, x: 1), PixelVector(y: 0, x: 9)])
}

@Test func obliqueContactExchangesOnlyTheNormalComponents() {
    // Side by side (rows overlap), closing along x: the x components swap, the y components stay.
    var boxes = BouncingBoxes(arenaSize: PixelVector(y: 30, x: 30), sizes: [square, PixelVector(y: 4, x: 6)],
                              positions: [PixelVector(y: 10, x: 5), PixelVector(y: 12, x: 11)],
                              velocities: [PixelVector(y: 1, x: 2), PixelVector(y: -2, x: -1)])
    boxes.step()
    #expect(boxes.velocities == [PixelVector(y: 1, x: -1), PixelVector(y: -2, x: 2)])
    // Gap 1 closing at 3: A ends at 5 + 1 + (-1) = 5, B at 11 - 1 + 2 = 12; y moves freely.
    #expect(boxes.positions == [PixelVector(y: 11, x: 5), PixelVector(y: 10, x: 12)])
    // One above the other, closing along y: the y components swap.
    var stacked = BouncingBoxes(arenaSize: PixelVector(y: 30, x: 30), sizes: [square, square],
                                positions: [PixelVector(y: 2, x: 8), PixelVector(y: 8, x: 10)],
                                velocities: [PixelVector(y: 2, x: 1), PixelVector(y: 0, x: 0)])
    stacked.step()
    #expect(stacked.velocities == [PixelVector(y: 0, x: 1), PixelVector(y: 2, x: 0)])
}

@Test func cornerContactExchangesBothComponents() {
    // Diagonal approach where both gaps (1 and 1) close at the same time.
    var boxes = BouncingBoxes(arenaSize: PixelVector(y: 30, x: 30), sizes: [square, square],
                              positions: [PixelVector(y: 5, x: 5), PixelVector(y: 11, x: 11)],
                              velocities: [PixelVector(y: 2, x: 2), PixelVector(y: -1, x: -1)])
    boxes.step()
    #expect(boxes.velocities == [PixelVector(y: -1, x: -1), PixelVector(y: 2, x: 2)])
}

@Test func wallsMirrorPositionAndNegateVelocity() {
    var boxes = BouncingBoxes(arenaCorner: PixelVector(y: 1, x: 1), arenaSize: PixelVector(y: 10, x: 20), sizes: [square],
                              positions: [PixelVector(y: 2, x: 14)], velocities: [PixelVector(y: -3, x: 3)])
    boxes.step()
    // y: 2 - 3 = -1, one past the top wall at 1 by 2 -> 3; x: 17 is 1 past the last place 16 -> 15.
    #expect(boxes.positions == [PixelVector(y: 3, x: 15)])
    #expect(boxes.velocities == [PixelVector(y: 3, x: -3)])
    // Faster than the room (5 places): reflected back and forth until inside.
    var fast = BouncingBoxes(arenaSize: PixelVector(y: 5, x: 9), sizes: [square], positions: [.zero], velocities: [PixelVector(y: 0, x: 11)])
    fast.step()
    #expect(fast.positions == [PixelVector(y: 0, x: 3)] && fast.velocities == [PixelVector(y: 0, x: 11)])
}

@Test func randomSystemsStayInsideNeverOverlapAndConserveEnergy() {
    var generator = RandomGenerator(seed: 21)
    var exchanges = 0
    for _ in 0..<60 {
        let sizes = (0..<3).map { _ in PixelVector(y: 3 + ExampleSeeding.uniform(in: 0..<6, using: &generator),
                                                   x: 3 + ExampleSeeding.uniform(in: 0..<6, using: &generator)) }
        let positions = [PixelVector(y: 1, x: 1), PixelVector(y: 12, x: 1), PixelVector(y: 1, x: 14)]
        let velocities = sizes.map { _ in ExampleSeeding.choose(PixelVector.grid(range: 3), using: &generator) }
        var boxes = BouncingBoxes(arenaCorner: PixelVector(y: 1, x: 1), arenaSize: PixelVector(y: 22, x: 26), sizes: sizes,
                                  positions: positions, velocities: velocities)
        let energy = boxes.energy
        for _ in 0..<100 {
            let before = boxes.velocities
            boxes.step()
            #expect(boxes.energy == energy)
            #expect(sizes.indices.allSatisfy { boxes.fitsInArena($0, at: boxes.positions[$0]) })
            for first in sizes.indices {
                for second in (first + 1)..<sizes.count {
                    #expect(!boxes.overlap(first, boxes.positions[first], second, boxes.positions[second]))
                }
            }
            // A change that is not a sign flip of the same component came from another box.
            exchanges += zip(before, boxes.velocities).filter { abs($0.y) != abs($1.y) || abs($0.x) != abs($1.x) }.count
        }
    }
    #expect(exchanges > 50)
}

@Test func bouncingMNISTDrawsBorderBoxesAndDigitsWhereThePhysicsPutsThem() {
    let pool = syntheticDigitPool(count: 20)
    let dataset = BouncingMNIST(digits: pool, count: 6, seed: 3)
    #expect(dataset[2] == BouncingMNIST(digits: pool, count: 6, seed: 3)[2])
    #expect(dataset[2].frames != dataset[3].frames)
    checkBouncingSequences(dataset, pool: pool)
}

@Test func bouncingMNISTWithRealDigitsOnTheDefault28By48Canvas() throws {
    let pool = DigitPool(try sharedTestSplit.get(), indices: 0..<500)
    let dataset = BouncingMNIST(digits: pool, count: 8, seed: 5)
    checkBouncingSequences(dataset, pool: pool)
    // Training sets resample per epoch; fixed sets do not.
    let training = BouncingMNIST(digits: pool, count: 8, seed: 5, resamplesEachEpoch: true)
    #expect(training[1] == dataset[1] && training.resampled(epoch: 1)[1] != dataset[1])
    #expect(dataset.resampled(epoch: 1)[1] == dataset[1])
}

/// The invariants of `BouncingMNIST` on a 28 x 48 canvas: the grey border, tight white outlines at the
/// recorded positions, the ink inside them, black elsewhere, energy conserved, and motion that
/// `BouncingBoxes` reproduces from the first frame.
private func checkBouncingSequences(_ dataset: BouncingMNIST, pool: DigitPool) {
    for sequence in dataset {
        #expect(sequence.shape == [20, 1, 28, 48])
        let digits = sequence.metadata
        #expect(digits.count == 2)
        let energies = (0..<20).map { time in digits.reduce(0) { $0 + $1.velocities[time].squaredLength } }
        #expect(Set(energies).count == 1)
        for time in 0..<20 {
            #expect((0..<48).allSatisfy { sequence[time, 0, $0] == 0.5 && sequence[time, 27, $0] == 0.5 })
            #expect((0..<28).allSatisfy { sequence[time, $0, 0] == 0.5 && sequence[time, $0, 47] == 0.5 })
            for digit in digits {
                let (corner, size) = (digit.positions[time], digit.boxSize)
                #expect(corner.y >= 1 && corner.x >= 1 && corner.y + size.y <= 27 && corner.x + size.x <= 47)
                #expect((0..<size.x).allSatisfy { sequence[time, corner.y, corner.x + $0] == 1 })
                #expect((0..<size.y).allSatisfy { sequence[time, corner.y + $0, corner.x + size.x - 1] == 1 })
                // The ink fills its box exactly: the outline is tight, and the ink is the digit's.
                let number = digit.sourceIndex - pool.sourceIndices.lowerBound
                let (ink, image) = (pool.inkBounds(number)!, pool.image(number))
                #expect(size == ink.size + PixelVector(y: 2, x: 2) && digit.label == pool.label(number))
                #expect((0..<ink.size.y).allSatisfy { row in
                    (0..<ink.size.x).allSatisfy { column in
                        sequence[time, corner.y + 1 + row, corner.x + 1 + column] == image[(ink.corner.y + row) * 28 + ink.corner.x + column]
                    }
                })
            }
            // Everything outside the border, boxes and ink is black.
            let inside = { (row: Int, column: Int) in
                digits.contains { row >= $0.positions[time].y && row < $0.positions[time].y + $0.boxSize.y
                    && column >= $0.positions[time].x && column < $0.positions[time].x + $0.boxSize.x }
            }
            #expect((1..<27).allSatisfy { row in (1..<47).allSatisfy { inside(row, $0) || sequence[time, row, $0] == 0 } })
        }
        // The recorded motion is what BouncingBoxes produces from the first frame.
        var boxes = BouncingBoxes(arenaCorner: PixelVector(y: 1, x: 1), arenaSize: PixelVector(y: 26, x: 46),
                                  sizes: digits.map(\.boxSize), positions: digits.map { $0.positions[0] },
                                  velocities: digits.map { $0.velocities[0] })
        for time in 1..<20 {
            boxes.step()
            #expect(boxes.positions == digits.map { $0.positions[time] } && boxes.velocities == digits.map { $0.velocities[time] })
        }
    }
}
