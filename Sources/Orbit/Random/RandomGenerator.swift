/// A seeded pseudo-random generator: xoshiro256** (Blackman and Vigna, 2018), seeded through SplitMix64.
///
/// Every random op in Orbit takes a generator explicitly (`using: &generator`); nothing reads a global
/// source, so the same seed gives the same numbers, in the same order, on every machine. The algorithm
/// uses only integer arithmetic; samplers built on it (RandomSampling.swift) avoid the C math library for
/// the same reason.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// An independent generator for a sub-task (e.g. one data-loader worker), derived from this one.
    public mutating func split() -> RandomGenerator {
        RandomGenerator(seed: next())
    }

    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
