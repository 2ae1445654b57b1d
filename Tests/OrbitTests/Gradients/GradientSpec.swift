import Orbit
import Testing
import _OrbitTestSupport

// The rows of the gradient tables (STYLE T1): an op, the shapes of its inputs and where to sample them.

/// Where a gradient test samples an input: inside the op's domain and away from its kinks and ties.
/// `GradientCheck` steps 1e-5 along a direction with standard-normal entries, so no entry moves by more
/// than ~5e-5; every domain below keeps kinks and ties at least 100 times further away than that.
enum InputDomain: Sendable {
    /// Uniform in [lowerBound, upperBound).
    case uniform(_ lowerBound: Double, _ upperBound: Double)
    /// Magnitude uniform in [minimum, maximum) with a random sign: away from a kink at 0.
    case awayFromZero(_ minimum: Double, _ maximum: Double)
    /// All elements of all `.distinct` inputs of a spec differ: a shuffled grid on [-1, 1] with spacing
    /// 2/count plus a jitter below a quarter of the spacing, so no two are closer than three quarters of
    /// a spacing (> 0.006 for the ≤ 216 elements used here). No ties in maximum, minimum, max reductions
    /// or max pooling.
    case distinct
}

/// One row of a directional gradient table, checked by `GradientCheck(_:at:)` in float64.
struct GradientSpec: Sendable, CustomTestStringConvertible {
    let name: String
    let shapes: [[Int]]
    /// One domain per input, or a single domain for every input.
    let domains: [InputDomain]
    let tolerance: Double
    let function: @Sendable ([Tensor]) -> Tensor

    init(_ name: String, _ shapes: [[Int]], _ domains: [InputDomain] = [.uniform(-1, 1)], tolerance: Double = 1e-6,
         _ function: @escaping @Sendable ([Tensor]) -> Tensor) {
        precondition(domains.count == 1 || domains.count == shapes.count, "\(name): one domain per input")
        self.name = name
        self.shapes = shapes
        self.domains = domains
        self.tolerance = tolerance
        self.function = function
    }

    var testDescription: String { "\(name) \(shapes.map(\.description).joined(separator: " "))" }

    /// The inputs, from a seed that depends only on the spec's description (never on the run).
    func inputs() -> [Tensor] {
        var generator = RandomGenerator(seed: stableSeed(testDescription))
        let domainOfInput = shapes.indices.map { domains.count == 1 ? domains[0] : domains[$0] }
        let distinctCount = shapes.indices.filter { if case .distinct = domainOfInput[$0] { true } else { false } }
            .map { shapes[$0].reduce(1, *) }.reduce(0, +)
        let spacing = 2 / Double(Swift.max(distinctCount, 1))
        var grid = Array(0..<distinctCount).shuffled(using: &generator)
        return shapes.indices.map { index in
            let count = shapes[index].reduce(1, *)
            let values: [Double] = (0..<count).map { _ in
                switch domainOfInput[index] {
                case .uniform(let lowerBound, let upperBound):
                    return lowerBound + (upperBound - lowerBound) * generator.nextUnitDouble()
                case .awayFromZero(let minimum, let maximum):
                    let magnitude = minimum + (maximum - minimum) * generator.nextUnitDouble()
                    return generator.nextUnitDouble() < 0.5 ? -magnitude : magnitude
                case .distinct:
                    let slot = Double(grid.removeLast())
                    return -1 + spacing * (slot + 0.25 * generator.nextUnitDouble())
                }
            }
            return Tensor(values, shape: shapes[index])
        }
    }

    func check() -> GradientCheck { GradientCheck(function, at: inputs(), tolerance: tolerance) }
}

/// One row of a linear-map table, checked by the exact adjoint identity `GradientCheck(linear:shapes:)`.
struct AdjointSpec: Sendable, CustomTestStringConvertible {
    let name: String
    let shapes: [[Int]]
    let tolerance: Double
    let function: @Sendable ([Tensor]) -> Tensor

    init(_ name: String, _ shapes: [[Int]], tolerance: Double = 1e-12, _ function: @escaping @Sendable ([Tensor]) -> Tensor) {
        self.name = name
        self.shapes = shapes
        self.tolerance = tolerance
        self.function = function
    }

    var testDescription: String { "\(name) \(shapes.map(\.description).joined(separator: " "))" }

    func check() -> GradientCheck { GradientCheck(linear: function, shapes: shapes, tolerance: tolerance) }
}

/// FNV-1a of a string: a seed that is the same in every process (`hashValue` is randomized per run).
func stableSeed(_ text: String) -> UInt64 {
    text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
}

/// A float64 tensor from literal values.
func float64Tensor(_ values: [Double], _ shape: [Int]) -> Tensor { Tensor(values, shape: shape) }

/// An int64 tensor from literal values (labels and gather indices).
func int64Tensor(_ values: [Int64], _ shape: [Int]) -> Tensor { Tensor(values, shape: shape) }
