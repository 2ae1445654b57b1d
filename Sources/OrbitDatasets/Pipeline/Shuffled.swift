import Orbit

/// A collection viewed in a seeded random order: one permutation per epoch.
///
/// The order is a function of the injected generator's state and the epoch number only, so a run that
/// resumes at epoch 7 sees exactly the order it would have seen without stopping, and every epoch gets a
/// different order. The permutation is a Fisher-Yates shuffle with unbiased bounded draws (Lemire,
/// "Fast random integer generation in an interval", 2019), written out here rather than taken from the
/// standard library's `shuffle(using:)`, whose algorithm is not guaranteed to stay the same.
///
/// ```swift
/// let epoch3 = Shuffled(training, generator: RandomGenerator(seed: 42), epoch: 3)
/// ```
public struct Shuffled<Base: RandomAccessCollection>: RandomAccessCollection {
    /// The collection being reordered.
    public let base: Base
    /// `order[i]` is the offset in `base` (from its start) of this collection's element `i`.
    public let order: [Int]

    /// `base` in the order of `epoch`'s permutation drawn from `generator` (which is not advanced).
    public init(_ base: Base, generator: RandomGenerator, epoch: Int) {
        self.base = base
        var epochGenerator = Shuffling.generator(generator, epoch: epoch)
        order = Shuffling.permutation(count: base.count, using: &epochGenerator)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { order.count }

    public subscript(position: Int) -> Base.Element {
        base[base.index(base.startIndex, offsetBy: order[position])]
    }
}

extension Shuffled: Sendable where Base: Sendable {}

/// The seeded permutations behind `Shuffled`, usable on their own (for example to order indices).
public enum Shuffling {
    /// A generator for `epoch` derived from `generator`: a fresh SplitMix64-seeded stream whose seed mixes
    /// the generator's next output with the epoch (multiplying by an odd constant keeps epochs distinct).
    public static func generator(_ generator: RandomGenerator, epoch: Int) -> RandomGenerator {
        var source = generator
        return RandomGenerator(seed: source.next() ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15))
    }

    /// A uniformly random permutation of `0 ..< count` (Fisher-Yates, from the last position down).
    public static func permutation(count: Int, using generator: inout RandomGenerator) -> [Int] {
        var order = Array(0..<count)
        var position = count - 1
        while position > 0 {
            order.swapAt(position, uniformIndex(below: position + 1, using: &generator))
            position -= 1
        }
        return order
    }

    /// A uniform integer in `0 ..< bound`: the high word of a 64x64-bit product, rejecting the few low
    /// words that would bias it (Lemire's method).
    static func uniformIndex(below bound: Int, using generator: inout RandomGenerator) -> Int {
        let range = UInt64(bound)
        var product = generator.next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = generator.next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }
}
