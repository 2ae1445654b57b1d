import Orbit
import Testing
@testable import OrbitDatasets

private let pool = syntheticDigitPool()

@Test func sameSeedAndIndexGiveTheSameSequenceAndOthersDiffer() {
    let first = TranslatingMNIST(digits: pool, count: 10, seed: 3)
    let again = TranslatingMNIST(digits: pool, count: 10, seed: 3)
    #expect(first[4] == again[4])
    #expect(first[4].frames != first[5].frames)
    #expect(first[4].frames != TranslatingMNIST(digits: pool, count: 10, seed: 4)[4].frames)
    #expect(first[4].shape == [20, 1, 28, 28])
    #expect(first[4].frames.allSatisfy { $0 >= 0 && $0 <= 1 })
    // Access order does not matter.
    let backwards = (0..<10).reversed().map { first[$0] }
    #expect(Array(backwards.reversed()) == (0..<10).map { again[$0] })
}

@Test func fixedSetsIgnoreTheEpochAndTrainingSetsResample() {
    let fixed = TranslatingMNIST(digits: pool, count: 4, seed: 3)
    #expect(fixed.resampled(epoch: 5)[2] == fixed[2])
    let training = TranslatingMNIST(digits: pool, count: 4, seed: 3, resamplesEachEpoch: true)
    #expect(training[2] == fixed[2])   // epoch 0 is the fixed set
    #expect(training.resampled(epoch: 1)[2].frames != training[2].frames)
    #expect(training.resampled(epoch: 1)[2] == training.resampled(epoch: 1)[2])
    // A slice resamples its base and keeps its bounds.
    let slice = training[1..<3].resampled(epoch: 1)
    #expect(slice.indices == 1..<3 && slice[2] == training.resampled(epoch: 1)[2])
}

@Test(arguments: [PixelVector(y: 1, x: -2), PixelVector(y: -3, x: 0), PixelVector(y: 2, x: 2)])
func oneDigitMovesExactlyByItsVelocityWithTensorRollsConvention(velocity: PixelVector) {
    let dataset = TranslatingMNIST(digits: pool, count: 3, seed: 9,
                                   configuration: .init(frameCount: 6, digitCount: 1, velocities: [velocity]))
    for index in 0..<3 {
        let sequence = dataset[index]
        let digit = sequence.metadata[0]
        #expect(digit.trajectory.velocity == velocity && digit.trajectory.switchFrame == nil)
        // Frame 0 is the (already centred, 28x28) digit rolled by the start offset.
        let image = Tensor(pool.image(digit.sourceIndex), shape: [28, 28])
        let start = digit.trajectory.start
        #expect((0..<28).contains(start.y) && (0..<28).contains(start.x))
        #expect(frameTensor(sequence, 0).scalars(as: Float.self)
                == image.rolled(shifts: [start.y, start.x], axes: [0, 1]).scalars(as: Float.self))
        for time in 0..<5 {
            let next = frameTensor(sequence, time).rolled(shifts: [velocity.y, velocity.x], axes: [0, 1])
            #expect(frameTensor(sequence, time + 1).scalars(as: Float.self) == next.scalars(as: Float.self))
        }
    }
}

/// Two 20x20 digits that are solid 12x12 blocks of grey 150 and 200: wherever they overlap the sum
/// passes 1, so the clamp is exercised.
private let blocks: DigitPool = {
    var pixels = [UInt8](repeating: 0, count: 2 * 400)
    for (digit, level) in [(0, UInt8(150)), (1, UInt8(200))] {
        for row in 4..<16 {
            for column in 4..<16 { pixels[digit * 400 + row * 20 + column] = level }
        }
    }
    return DigitPool(pixels: pixels, labels: [1, 2], height: 20, width: 20)
}()

@Test(arguments: [false, true])
func twoDigitsAreTheClampedSumOfRolledPaddedDigits(solidBlocks: Bool) {
    // 20x20 digits on a 27x27 torus: padded by 3 before and 4 after, as the reference pads.
    let small = solidBlocks ? blocks : syntheticDigitPool(count: 8, size: 20, seed: 4)
    let dataset = TranslatingMNIST(digits: small, count: 4, seed: 5, configuration: .init(frameCount: 4, imageSize: 27, velocityRange: 3))
    var clampedPixels = 0
    for sequence in dataset {
        for time in 0..<4 {
            var expected = Tensor.zeros([27, 27])
            for digit in sequence.metadata {
                let padded = Tensor(small.image(digit.sourceIndex), shape: [20, 20]).padded([(3, 4), (3, 4)])
                let offset = digit.trajectory.offset(atFrame: time)
                expected = expected + padded.rolled(shifts: [offset.y, offset.x], axes: [0, 1])
            }
            let sums = expected.scalars(as: Float.self)
            clampedPixels += sums.filter { $0 > 1 }.count
            #expect(frameTensor(sequence, time).scalars(as: Float.self).elementsEqual(sums.map { min($0, 1) }) { abs($0 - $1) < 1e-6 })
        }
    }
    if solidBlocks { #expect(clampedPixels > 0) }
}

@Test func velocitiesAndOffsetsAreUniform() {
    let tiny = syntheticDigitPool(count: 4, size: 6, seed: 2)
    let dataset = TranslatingMNIST(digits: tiny, count: 3000, seed: 11,
                                   configuration: .init(frameCount: 1, imageSize: 6, digitCount: 2, velocityRange: 1))
    let grid = PixelVector.grid(range: 1)
    var velocityCounts = [Int](repeating: 0, count: grid.count)
    var offsetCounts = [Int](repeating: 0, count: 6)
    for sequence in dataset {
        for digit in sequence.metadata {
            velocityCounts[grid.firstIndex(of: digit.trajectory.velocity)!] += 1
            offsetCounts[digit.trajectory.start.x] += 1
        }
    }
    // 6000 draws over 9 velocities: chi-square with 8 degrees of freedom, P(> 26.1) = 0.001.
    #expect(chiSquareAgainstUniform(velocityCounts) < 26.1, "velocity counts \(velocityCounts)")
    #expect(chiSquareAgainstUniform(offsetCounts) < 20.5, "offset counts \(offsetCounts)")   // 5 dof, P = 0.001
}

@Test func fixedVelocityMovesEveryDigitAlike() {
    let velocity = PixelVector(y: -1, x: 2)
    let dataset = TranslatingMNIST.fixedVelocity(velocity, digits: pool, count: 5, seed: 1)
    #expect(dataset.allSatisfy { $0.metadata.count == 2 && $0.metadata.allSatisfy { $0.trajectory.velocity == velocity } })
    // Both digits move alike, so the whole (clamped) frame rolls by the velocity.
    for sequence in dataset {
        for time in 0..<19 {
            #expect(frameTensor(sequence, time + 1).scalars(as: Float.self)
                    == frameTensor(sequence, time).rolled(shifts: [-1, 2], axes: [0, 1]).scalars(as: Float.self))
        }
    }
    // Each cell of the velocity-generalisation grid is a fixed set: the same sequences on every access
    // and every epoch, and different cells move the same digits from the same starts.
    let still = TranslatingMNIST.fixedVelocity(.zero, digits: pool, count: 5, seed: 1)
    #expect(!dataset.examples.resamplesEachEpoch && dataset.resampled(epoch: 2)[4] == dataset[4])
    #expect(zip(dataset, still).allSatisfy { moving, resting in
        moving.metadata.map(\.sourceIndex) == resting.metadata.map(\.sourceIndex)
            && moving.metadata.map(\.trajectory.start) == resting.metadata.map(\.trajectory.start)
            && moving.frame(0).elementsEqual(resting.frame(0))
    })
}

@Test func variableVelocitySwitchesOnceToAnotherVelocity() throws {
    let configuration = TranslatingMNIST.Configuration(frameCount: 12, digitCount: 1, velocityRange: 1, velocitySwitch: .randomFrame(3...8))
    let dataset = TranslatingMNIST(digits: pool, count: 40, seed: 2, configuration: configuration)
    var switchFrames = Set<Int>()
    for sequence in dataset {
        let trajectory = sequence.metadata[0].trajectory
        let switchFrame = try #require(trajectory.switchFrame)
        switchFrames.insert(switchFrame)
        #expect((3...8).contains(switchFrame))
        #expect(trajectory.switchedVelocity != trajectory.velocity)
        for time in 0..<11 {
            let velocity = trajectory.velocity(atFrame: time)
            #expect(velocity == (time < switchFrame ? trajectory.velocity : trajectory.switchedVelocity))
            #expect(trajectory.offset(atFrame: time + 1) - trajectory.offset(atFrame: time) == velocity)
            #expect(frameTensor(sequence, time + 1).scalars(as: Float.self)
                    == frameTensor(sequence, time).rolled(shifts: [velocity.y, velocity.x], axes: [0, 1]).scalars(as: Float.self))
        }
    }
    #expect(switchFrames.count >= 4)
    let fixed = TranslatingMNIST(digits: pool, count: 3, seed: 2, configuration: .init(frameCount: 12, velocitySwitch: .atFrame(6)))
    #expect(fixed.allSatisfy { $0.metadata.allSatisfy { $0.trajectory.switchFrame == 6 } })
}

@Test func loaderDrawsANewTrainingSetEachEpochAndSplitsInputsFromTargets() {
    let training = TranslatingMNIST(digits: pool, count: 6, seed: 12, configuration: .init(frameCount: 4, velocityRange: 1),
                                    resamplesEachEpoch: true)
    let loader = DataLoader(training, batchSize: 4)
    let first = Array(loader.batches(epoch: 0)), again = Array(loader.batches(epoch: 0)), second = Array(loader.batches(epoch: 1))
    #expect(first.map(\.count) == [4, 2] && first[0].frames.shape == [4, 4, 1, 28, 28])
    #expect(first[0].frames.scalars(as: Float.self) == again[0].frames.scalars(as: Float.self))
    #expect(first[0].metadata == again[0].metadata && first[0].metadata != second[0].metadata)
    #expect(first[0].metadata == (0..<4).map { training[$0].metadata })
    #expect(second[1].metadata == (4..<6).map { training.resampled(epoch: 1)[$0].metadata })
    // Inputs and targets: the first frames and the rest, in order.
    let (inputs, targets) = (first[1].frames(in: 0..<3), first[1].frames(in: 3..<4))
    #expect(inputs.shape == [2, 3, 1, 28, 28] && targets.shape == [2, 1, 1, 28, 28])
    #expect(targets.scalars(as: Float.self) == Array(training[4].frame(3)) + Array(training[5].frame(3)))
    #expect(inputs.slice(axis: 0, 1..<2).scalars(as: Float.self) == Array(training[5].frames.prefix(3 * 28 * 28)))
}

@Test func dataVelocitiesCanBeAnyListNotOnlyAGrid() {
    // The FERNN rebuttal's velocities between generators: x in -5...5, y = 0, one digit.
    let velocities = PixelVector.horizontal(-5...5)
    #expect(velocities.count == 11 && velocities.allSatisfy { $0.y == 0 } && velocities.map(\.x) == Array(-5...5))
    #expect(PixelVector.vertical([2, -1]) == [PixelVector(y: 2, x: 0), PixelVector(y: -1, x: 0)])
    let dataset = TranslatingMNIST(digits: pool, count: 330, seed: 8, configuration: .init(frameCount: 3, digitCount: 1, velocities: velocities))
    var counts = [Int](repeating: 0, count: velocities.count)
    for sequence in dataset {
        let velocity = sequence.metadata[0].trajectory.velocity
        counts[velocities.firstIndex(of: velocity)!] += 1
    }
    // Chi-square with 10 degrees of freedom: 29.6 is its 99.9% quantile.
    #expect(counts.allSatisfy { $0 > 0 } && chiSquareAgainstUniform(counts) < 29.6, "\(counts)")
    for sequence in dataset.prefix(3) {
        let velocity = sequence.metadata[0].trajectory.velocity
        #expect(frameTensor(sequence, 1).scalars(as: Float.self)
                == frameTensor(sequence, 0).rolled(shifts: [0, velocity.x], axes: [0, 1]).scalars(as: Float.self))
    }
}
