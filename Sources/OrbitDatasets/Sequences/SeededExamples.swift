import Orbit

/// Which examples a synthetic dataset holds: `count` of them, example `i` a pure function of (`seed`,
/// `epoch`, `i`) through `ExampleSeeding`. A training set (`resamplesEachEpoch`) is drawn afresh for
/// every epoch; a validation or test set stays the epoch-0 draw whatever epoch it is asked for.
///
/// The moving-digit datasets keep one of these, so the epoch rule lives here rather than in each of them:
///
/// ```swift
/// public func resampled(epoch: Int) -> TranslatingMNIST {
///     var copy = self
///     copy.examples = examples.resampled(epoch: epoch)
///     return copy
/// }
/// public subscript(index: Int) -> Element {
///     var generator = examples.generator(forExample: index, of: "TranslatingMNIST")
///     ...
/// ```
public struct SeededExamples: Sendable, Equatable {
    /// Number of examples.
    public let count: Int
    /// Seeds every example.
    public let seed: UInt64
    /// Whether `resampled(epoch:)` draws new examples (training) or returns these (validation, test).
    public let resamplesEachEpoch: Bool
    /// The epoch these examples are drawn for (0 unless resampled).
    public private(set) var epoch = 0

    /// The epoch-0 draw of `count` examples; stops the program, naming `operation`, if `count` is negative.
    init(count: Int, seed: UInt64, resamplesEachEpoch: Bool, operation: String) {
        requireArgument(count >= 0, operation, "count must be >= 0, got \(count)")
        (self.count, self.seed, self.resamplesEachEpoch) = (count, seed, resamplesEachEpoch)
    }

    /// These examples as drawn for `epoch`: new ones when `resamplesEachEpoch`, otherwise these.
    public func resampled(epoch: Int) -> SeededExamples {
        guard resamplesEachEpoch else { return self }
        var copy = self
        copy.epoch = epoch
        return copy
    }

    /// The random stream example `index` is drawn from (`stream` separates independent draws of one
    /// example); stops the program, naming `operation`, if `index` is outside `0..<count`.
    func generator(forExample index: Int, of operation: String, stream: UInt64 = 0) -> RandomGenerator {
        requireArgument(index >= 0 && index < count, operation, "index \(index) is outside 0..<\(count)")
        return ExampleSeeding.generator(seed: seed, epoch: epoch, index: index, stream: stream)
    }
}
