import Orbit

/// A dataset whose examples can be drawn afresh for each epoch, such as a synthetic training set.
///
/// `DataLoader.batches(epoch: e)` iterates `dataset.resampled(epoch: e)` when the dataset conforms, so a
/// training set gets new examples every epoch while a validation or test set (built not to resample)
/// returns itself and stays fixed by its seed. Element `i` of `resampled(epoch: e)` must be a pure
/// function of the dataset's configuration, `e` and `i`.
public protocol EpochSampledDataset: RandomAccessCollection {
    /// This dataset as drawn for `epoch` (itself when it is fixed).
    func resampled(epoch: Int) -> Self
}

/// A slice of an epoch-sampled dataset (`training.prefix(1000)`) resamples its base and keeps its bounds.
extension Slice: EpochSampledDataset where Base: EpochSampledDataset {
    public func resampled(epoch: Int) -> Slice<Base> {
        Slice(base: base.resampled(epoch: epoch), bounds: startIndex..<endIndex)
    }
}

/// The per-example random streams of the synthetic datasets.
public enum ExampleSeeding {
    /// A generator for example `index` of `epoch` of the dataset seeded with `seed`; `stream` separates
    /// independent draws of the same example (say, the clip window and the camera velocity).
    ///
    /// Each input is folded in with the SplitMix64 finalizer (Steele, Lea and Flood 2014), so nearby seeds,
    /// epochs and indices give unrelated streams, and the result depends on nothing else: not on the order
    /// examples are accessed in, nor on the thread.
    public static func generator(seed: UInt64, epoch: Int, index: Int, stream: UInt64 = 0) -> RandomGenerator {
        var state = mix(seed)
        state = mix(state ^ UInt64(truncatingIfNeeded: epoch))
        state = mix(state ^ UInt64(truncatingIfNeeded: index))
        state = mix(state ^ stream)
        return RandomGenerator(seed: state)
    }

    /// A uniform element of `choices` (not empty), drawn without bias.
    public static func choose<Element>(_ choices: [Element], using generator: inout RandomGenerator) -> Element {
        choices[Shuffling.uniformIndex(below: choices.count, using: &generator)]
    }

    /// A uniform integer in `range` (not empty), drawn without bias.
    public static func uniform(in range: Range<Int>, using generator: inout RandomGenerator) -> Int {
        range.lowerBound + Shuffling.uniformIndex(below: range.count, using: &generator)
    }

    /// The SplitMix64 output function: a bijection of 64-bit words with good avalanche.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
