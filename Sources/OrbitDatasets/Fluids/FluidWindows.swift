import Orbit

/// One training or test example cut from a sequence: `inputLength` consecutive frames and the
/// `targetLength` frames that follow them (multi-step autoregressive targets).
public struct FluidWindow: Sendable {
    /// `[inputLength * C, H, W]`: the input frames stacked along channels, frame-major (for velocities
    /// `[u_s, v_s, u_s+1, v_s+1, ...]`, the reference's stacking); the same memory as `[inputLength, C, H, W]`.
    public let input: [Float]
    /// `[targetLength, C, H, W]`.
    public let target: [Float]
    /// Which sequence of the collection, and the window's start index s.
    public let sequenceIndex: Int
    public let start: Int
}

/// Where the windows of each split start, and their lengths: the reference protocol by default.
///
/// For start index s the input is frames `[s + offset, s + offset + inputLength)` and the target the
/// following `targetLength` frames (the reference's `mid = inputLength + 2`: the first two frames are
/// never inputs).
public struct FluidSplitPlan: Sendable, Hashable {
    public var inputLength: Int
    public var offset: Int
    /// Train: training tasks, starts `trainStarts`, `trainTargetLength` steps predicted.
    public var trainStarts: Range<Int>
    public var trainTargetLength: Int
    /// Validation: training tasks, starts `validationStarts`, `trainTargetLength` steps.
    public var validationStarts: Range<Int>
    /// Test-future: training tasks at later times; test-domain: unseen tasks. `testTargetLength` steps.
    public var testFutureStarts: Range<Int>
    public var testDomainStarts: Range<Int>
    public var testTargetLength: Int

    public init(inputLength: Int = 10, offset: Int = 2, trainStarts: Range<Int> = 0..<160, trainTargetLength: Int = 6,
                validationStarts: Range<Int> = 160..<200, testFutureStarts: Range<Int> = 200..<250,
                testDomainStarts: Range<Int> = 0..<100, testTargetLength: Int = 20) {
        requireArgument(inputLength >= 1 && trainTargetLength >= 1 && testTargetLength >= 1 && offset >= 0,
                        "FluidSplitPlan", "lengths must be >= 1 and the offset >= 0")
        (self.inputLength, self.offset, self.trainStarts, self.trainTargetLength) = (inputLength, offset, trainStarts, trainTargetLength)
        (self.validationStarts, self.testFutureStarts, self.testDomainStarts, self.testTargetLength) =
            (validationStarts, testFutureStarts, testDomainStarts, testTargetLength)
    }

    /// The reference protocol: 10 input frames; train s in 0..<160 and validation 160..<200 with 6 target
    /// steps; test-future s in 200..<250 and test-domain 0..<100 with 20 steps. Needs 281 frames.
    public static let paper = FluidSplitPlan()

    /// Starts and target length of `split`.
    public func windows(for split: FluidSplit) -> (starts: Range<Int>, targetLength: Int) {
        switch split {
        case .train: (trainStarts, trainTargetLength)
        case .validation: (validationStarts, trainTargetLength)
        case .testFuture: (testFutureStarts, testTargetLength)
        case .testDomain: (testDomainStarts, testTargetLength)
        }
    }

    /// Frames a sequence needs so that every split's windows fit.
    public var requiredFrames: Int {
        let last = [trainStarts.upperBound + trainTargetLength, validationStarts.upperBound + trainTargetLength,
                    testFutureStarts.upperBound + testTargetLength, testDomainStarts.upperBound + testTargetLength].max()!
        return last - 1 + offset + inputLength
    }
}

/// The four splits of the reference protocol.
public enum FluidSplit: String, Sendable, CaseIterable {
    case train, validation, testFuture, testDomain
}

/// The windows of a set of sequences as a random-access collection (STYLE O2): element `i` is window
/// `i % starts.count` of sequence `i / starts.count`, cut when it is accessed.
public struct FluidWindows: RandomAccessCollection, Sendable {
    public let sequences: [FieldSequence]
    public let starts: Range<Int>
    public let inputLength: Int
    public let targetLength: Int
    public let offset: Int

    /// Windows at `starts` of every sequence; stops the program (naming `FluidWindows`) when a window
    /// runs past the end of a sequence or the sequences differ in frame shape.
    public init(_ sequences: [FieldSequence], starts: Range<Int>, inputLength: Int, targetLength: Int, offset: Int = 2) {
        requireArgument(inputLength >= 1 && targetLength >= 1 && offset >= 0 && starts.lowerBound >= 0, "FluidWindows",
                        "needs inputLength, targetLength >= 1 and offset, starts >= 0")
        let needed = starts.isEmpty ? 0 : starts.upperBound - 1 + offset + inputLength + targetLength
        for (index, sequence) in sequences.enumerated() {
            requireArgument(sequence.count >= needed, "FluidWindows",
                            "sequence \(index) has \(sequence.count) frames, windows at \(starts) need \(needed)")
            requireArgument(sequence.frameSize == sequences[0].frameSize && sequence.width == sequences[0].width,
                            "FluidWindows", "sequence \(index) is \(sequence.shape), sequence 0 is \(sequences[0].shape)")
        }
        (self.sequences, self.starts, self.inputLength, self.targetLength, self.offset) =
            (sequences, starts, inputLength, targetLength, offset)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { sequences.count * starts.count }

    public subscript(position: Int) -> FluidWindow {
        requireArgument(position >= 0 && position < endIndex, "FluidWindows", "index \(position) is outside 0..<\(endIndex)")
        let sequence = sequences[position / starts.count]
        let start = starts.lowerBound + position % starts.count
        let first = (start + offset) * sequence.frameSize
        let split = first + inputLength * sequence.frameSize
        return FluidWindow(input: Array(sequence.frames[first..<split]),
                           target: Array(sequence.frames[split..<(split + targetLength * sequence.frameSize)]),
                           sequenceIndex: position / starts.count, start: start)
    }
}

/// A minibatch of windows as tensors.
///
/// Shapes: `inputs` float32 `[N, inputLength * C, H, W]`, `targets` float32 `[N, targetLength, C, H, W]`.
public struct FluidBatch: Sendable {
    public let inputs: Tensor
    public let targets: Tensor

    /// Stacks `windows` (at least one, all from the same `FluidWindows`) in order.
    public init<Windows: Collection>(collating windows: Windows, from collection: FluidWindows) where Windows.Element == FluidWindow {
        requireArgument(!windows.isEmpty && !collection.sequences.isEmpty, "FluidBatch(collating:from:)", "no windows to collate")
        let first = collection.sequences[0]
        var inputs: [Float] = [], targets: [Float] = []
        inputs.reserveCapacity(windows.count * collection.inputLength * first.frameSize)
        targets.reserveCapacity(windows.count * collection.targetLength * first.frameSize)
        for window in windows {
            inputs += window.input
            targets += window.target
        }
        let (c, h, w) = (first.channels, first.height, first.width)
        self.inputs = Tensor(inputs, shape: [windows.count, collection.inputLength * c, h, w])
        self.targets = Tensor(targets, shape: [windows.count, collection.targetLength, c, h, w])
    }
}
