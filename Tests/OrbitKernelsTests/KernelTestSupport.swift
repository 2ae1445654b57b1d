import OrbitKernels

/// Seeded SplitMix64 generator: every test draws the same inputs on every run.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func nextBits() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-1, 1), exactly representable in Float (24 random bits).
    mutating func nextSigned() -> Double { Double(nextBits() >> 40) * 0x1p-23 - 1 }

    /// Uniform integer in `range`.
    mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(nextBits() % UInt64(range.count))
    }

    mutating func values<Scalar: BinaryFloatingPoint>(_ type: Scalar.Type, count: Int) -> [Scalar] {
        (0..<count).map { _ in Scalar(nextSigned()) }
    }
}

/// Runs `body` with `Parallel.threadCount` set to `threads`, then restores the previous value.
/// Kernel results never depend on the thread count, so tests running concurrently are unaffected.
func withThreadCount<Result>(_ threads: Int, _ body: () -> Result) -> Result {
    let previous = Parallel.threadCount
    Parallel.threadCount = threads
    defer { Parallel.threadCount = previous }
    return body()
}

/// Unit roundoff of each tested scalar type.
protocol KernelTestScalar: BinaryFloatingPoint {
    static var unitRoundoff: Double { get }
}

extension Float: KernelTestScalar {
    static var unitRoundoff: Double { 0x1p-24 }
}

extension Double: KernelTestScalar {
    static var unitRoundoff: Double { 0x1p-53 }
}

/// Bitwise equality, so +0/-0 and NaN payload differences also count as differences.
func bitwiseEqual<Scalar: BinaryFloatingPoint>(_ left: [Scalar], _ right: [Scalar]) -> Bool
where Scalar.RawSignificand: FixedWidthInteger {
    left.count == right.count && zip(left, right).allSatisfy {
        $0.significandBitPattern == $1.significandBitPattern && $0.exponentBitPattern == $1.exponentBitPattern
            && $0.sign == $1.sign
    }
}
