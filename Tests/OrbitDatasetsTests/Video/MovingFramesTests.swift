import Orbit
import Testing
@testable import OrbitDatasets

/// Subjects 1-3 train, 4 validates, 5 tests.
private let fiveSubjects = MovingFrames.SubjectSplit(training: [1, 2, 3], validation: [4], test: [5])
/// 10 clips of 40, 33, 12, 31, 40, ... frames; the two of 12 frames are shorter than a 16 x 2 window (31).
private let archive = syntheticArchive()

/// Frame `time` of clip `clip` as a `[H, W]` tensor of grey levels / 255.
private func clipFrame(_ clip: ClipArchive.Clip, _ frame: Int, height: Int, width: Int) -> Tensor {
    let area = height * width
    return Tensor(clip.pixels[(frame * area)..<((frame + 1) * area)].map { Float($0) / 255 }, shape: [height, width])
}

@Test func splitsHoldTheirOwnSubjectsOnlyAndSkipShortClips() {
    let splits = [MovingFrames.Split.training, .validation, .test].map {
        MovingFrames(archive: archive, split: $0, subjects: fiveSubjects, seed: 1)
    }
    #expect(splits.map(\.clipIndices) == [[0, 1, 3, 4, 5], [7], [8, 9]])
    #expect(splits.map(\.skippedClipCount) == [1, 1, 0])
    for (split, subjects) in zip(splits, [fiveSubjects.training, fiveSubjects.validation, fiveSubjects.test]) {
        #expect(split.allSatisfy { subjects.contains($0.metadata.subject) })
        #expect(split.allSatisfy { archive.clips[$0.metadata.clipIndex].label == $0.metadata.label })
    }
    let all = splits.flatMap(\.clipIndices)
    #expect(Set(all).count == all.count)
    // A 31-frame clip holds exactly one window.
    #expect(splits[0][2].metadata.clipIndex == 3 && splits[0][2].metadata.startFrame == 0)
    let kth = MovingFrames.SubjectSplit.kth
    #expect(kth.training.isDisjoint(with: kth.validation) && kth.training.isDisjoint(with: kth.test)
            && kth.validation.isDisjoint(with: kth.test))
    #expect(kth.training.union(kth.validation).union(kth.test) == Set(1...25))
}

@Test func overlappingSubjectSplitsStopTheProgram() async {
    await #expect(processExitsWith: .failure) {
        let overlapping = MovingFrames.SubjectSplit(training: [1, 2], validation: [2], test: [3])
        _ = MovingFrames(archive: syntheticArchive(subjects: [1]), split: .test, subjects: overlapping, seed: 1)
    }
}

@Test(arguments: [MovingFrames.Split.training, .test])
func framesAreClipFramesRolledOnTheTorusThenFlipped(split: MovingFrames.Split) {
    let dataset = MovingFrames(archive: archive, split: split, subjects: fiveSubjects, seed: 4,
                               configuration: .init(velocityRange: 3))
    var sawFlip = false, sawMotion = false
    for example in dataset {
        let sample = example.metadata
        let clip = archive.clips[sample.clipIndex]
        #expect(example.shape == [16, 1, 6, 10])
        #expect(sample.startFrame >= 0 && sample.startFrame + 30 < clip.frameCount)
        #expect(PixelVector.grid(range: 3).contains(sample.camera.velocity) && sample.camera.start == .zero)
        sawFlip = sawFlip || sample.isFlipped
        sawMotion = sawMotion || sample.camera.velocity != .zero
        for time in 0..<16 {
            let offset = sample.camera.offset(atFrame: time)
            #expect(offset == time * sample.camera.velocity)
            var expected = clipFrame(clip, sample.startFrame + 2 * time, height: 6, width: 10)
                .rolled(shifts: [offset.y, offset.x], axes: [0, 1])
            if sample.isFlipped { expected = expected.flipped(axes: [1]) }
            #expect(Array(example.frame(time)) == expected.scalars(as: Float.self), "clip \(sample.clipIndex) frame \(time)")
        }
    }
    #expect(sawMotion)
    #expect(sawFlip == (split == .training))   // flips only augment training data by default
}

@Test func stillClipsMoveByTheApparentVelocityEvenAcrossASwitch() {
    let still = syntheticArchive(frameCounts: [31], still: true, seed: 5)
    let configuration = MovingFrames.Configuration(velocityRange: 2, velocitySwitch: .atFrame(8))
    let dataset = MovingFrames(archive: still, split: .training, subjects: fiveSubjects, seed: 2, configuration: configuration)
    for example in dataset {
        let sample = example.metadata
        #expect(sample.camera.switchFrame == 8 && sample.camera.switchedVelocity != sample.camera.velocity)
        for time in 0..<15 {
            let velocity = sample.apparentVelocity(atFrame: time)
            let expectedVelocity = time < 8 ? sample.camera.velocity : sample.camera.switchedVelocity
            #expect(velocity == (sample.isFlipped ? PixelVector(y: expectedVelocity.y, x: -expectedVelocity.x) : expectedVelocity))
            let moved = Tensor(Array(example.frame(time)), shape: [6, 10]).rolled(shifts: [velocity.y, velocity.x], axes: [0, 1])
            #expect(Array(example.frame(time + 1)) == moved.scalars(as: Float.self))
        }
    }
    // Range 0: no camera motion, every frame is the clip's picture.
    let resting = MovingFrames(archive: still, split: .test, subjects: fiveSubjects, seed: 2, configuration: .init(velocityRange: 0))
    for example in resting {
        #expect((1..<16).allSatisfy { example.frame($0).elementsEqual(example.frame(0)) })
        #expect(example.frame(0).elementsEqual(clipFrame(still.clips[example.metadata.clipIndex], 0, height: 6, width: 10).scalars(as: Float.self)))
    }
}

@Test func cameraVelocitiesAndFlipsAreUniform() {
    // 600 one-frame 1x1 clips of one subject: a cheap way to draw 600 cameras and flips.
    let clips = (0..<600).map { ClipArchive.Clip(label: 0, subject: 1, frameCount: 1, pixels: [UInt8($0 % 256)]) }
    let tiny = ClipArchive(height: 1, width: 1, classNames: ["still"], clips: clips)
    let dataset = MovingFrames(archive: tiny, split: .training, subjects: .kth, seed: 9,
                               configuration: .init(sequenceLength: 1, step: 1, velocityRange: 1))
    let grid = PixelVector.grid(range: 1)
    var counts = [Int](repeating: 0, count: grid.count)
    var flips = 0
    for example in dataset {
        counts[grid.firstIndex(of: example.metadata.camera.velocity)!] += 1
        if example.metadata.isFlipped { flips += 1 }
    }
    #expect(chiSquareAgainstUniform(counts) < 26.1, "velocity counts \(counts)")   // 8 dof, P = 0.001
    #expect(abs(flips - 300) < 50, "\(flips) flips of 600")                         // 4 standard deviations
}

@Test func augmentationIsSeededReproducibleAndFixedOutsideTraining() {
    let training = MovingFrames(archive: archive, split: .training, subjects: fiveSubjects, seed: 6)
    let again = MovingFrames(archive: archive, split: .training, subjects: fiveSubjects, seed: 6)
    #expect(training.flipsHorizontally && training.resamplesEachEpoch)
    #expect(Array(training) == Array(again))
    #expect(Array(training.resampled(epoch: 3)) == Array(again.resampled(epoch: 3)))
    // Another epoch draws other windows and flips but keeps each clip's camera.
    let epochs = (0..<4).map { Array(training.resampled(epoch: $0)).map(\.metadata) }
    #expect(epochs.dropFirst().allSatisfy { $0.map(\.startFrame) != epochs[0].map(\.startFrame) })
    #expect(epochs.allSatisfy { $0.map(\.camera) == epochs[0].map(\.camera) })
    let otherSeed = MovingFrames(archive: archive, split: .training, subjects: fiveSubjects, seed: 7)
    #expect(otherSeed.map(\.metadata.camera) != epochs[0].map(\.camera))
    // The paper's augmentation variant: a new camera every epoch.
    let recamera = MovingFrames(archive: archive, split: .training, subjects: fiveSubjects, seed: 6,
                                configuration: .init(cameraResampledEachEpoch: true))
    #expect(recamera.resampled(epoch: 1).map(\.metadata.camera) != recamera.map(\.metadata.camera))
    // Validation and test: no flips, the same examples every epoch.
    for split in [MovingFrames.Split.validation, .test] {
        let fixed = MovingFrames(archive: archive, split: split, subjects: fiveSubjects, seed: 6)
        #expect(!fixed.flipsHorizontally && !fixed.resamplesEachEpoch)
        #expect(Array(fixed.resampled(epoch: 5)) == Array(fixed) && fixed.allSatisfy { !$0.metadata.isFlipped })
    }
    // Flips can be turned off for training.
    let unflipped = MovingFrames(archive: archive, split: .training, subjects: fiveSubjects, seed: 6, flipsHorizontally: false)
    #expect(unflipped.allSatisfy { !$0.metadata.isFlipped })
}

@Test func loaderCollatesClipsIntoLabelledSequenceBatches() {
    let training = MovingFrames(archive: archive, split: .training, subjects: fiveSubjects, seed: 3)
    let loader = DataLoader(training, batchSize: 2, shuffling: RandomGenerator(seed: 1))
    let batches = Array(loader.batches(epoch: 1))
    #expect(batches.map(\.count) == [2, 2, 1])
    #expect(batches[0].frames.shape == [2, 16, 1, 6, 10])
    let seen = batches.flatMap(\.metadata)
    #expect(Set(seen.map(\.clipIndex)) == Set(training.clipIndices))
    // Epoch 1 of the loader draws the dataset's epoch 1.
    let resampled = training.resampled(epoch: 1)
    for batch in batches {
        #expect(batch.labels(\.label).scalars(as: Int64.self) == batch.metadata.map { Int64($0.label) })
        for (row, sample) in batch.metadata.enumerated() {
            let example = resampled[training.clipIndices.firstIndex(of: sample.clipIndex)!]
            #expect(example.metadata == sample)
            #expect(batch.frames.slice(axis: 0, row..<(row + 1)).scalars(as: Float.self) == example.frames)
        }
    }
}

@Test func cameraVelocitiesCanBeAnyList() {
    let velocities = PixelVector.horizontal([-4, -2, 0, 2, 4])
    let dataset = MovingFrames(archive: archive, split: .training, subjects: fiveSubjects, seed: 4,
                               configuration: .init(velocities: velocities))
    #expect(dataset.allSatisfy { velocities.contains($0.metadata.camera.velocity) })
    #expect(Set(dataset.map(\.metadata.camera.velocity)).count >= 3)
    #expect(MovingFrames.Configuration() == MovingFrames.Configuration(velocities: PixelVector.grid(range: 2)))
}
