import Orbit

/// The result of comparing Orbit's reverse-mode gradient with finite differences (STYLE T2).
///
/// With a seeded random direction u (one tensor per input) and a seeded random cotangent v (never all
/// ones, so errors cannot cancel in a sum), reverse mode gives ⟨u, Jᵀv⟩ and central differences give
/// ⟨Ju, v⟩ ≈ ⟨(f(x + hu) - f(x - hu)) / 2h, v⟩. In float64 with h = 1e-5 the difference carries
/// truncation error ~h² ≈ 1e-10 and rounding error ~ε/h ≈ 1e-11, so a relative tolerance of 1e-6 sits
/// far above noise and far below any real bug.
public struct GradientCheck: CustomStringConvertible {
    /// ⟨u, Jᵀv⟩ from reverse mode.
    public let reverseMode: Double
    /// ⟨Ju, v⟩ from central differences (or from the function itself when it is linear).
    public let finiteDifference: Double
    public let tolerance: Double
    /// Per-entry comparison, computed only when the check fails and the inputs are small.
    public let worstEntry: String?

    /// |reverse - finite| / max(|reverse|, |finite|, 1e-12).
    public var relativeError: Double {
        abs(reverseMode - finiteDifference) / max(abs(reverseMode), abs(finiteDifference), 1e-12)
    }

    public var passed: Bool { relativeError <= tolerance }

    public var description: String {
        "⟨u, Jᵀv⟩ = \(reverseMode), ⟨Ju, v⟩ = \(finiteDifference), relative error \(relativeError) (tolerance \(tolerance))"
            + (worstEntry.map { "; \($0)" } ?? "")
    }

    /// Checks `function` at `inputs` (float64) by the directional identity with central differences.
    public init(_ function: @escaping ([Tensor]) -> Tensor, at inputs: [Tensor], seed: UInt64 = 1,
                tolerance: Double = 1e-6, step: Double = 1e-5) {
        precondition(inputs.allSatisfy { $0.dtype == .float64 }, "gradient checks run in float64")
        var generator = RandomGenerator(seed: seed)
        let output = function(inputs)
        let cotangent = Tensor.randomNormal(output.shape, dtype: .float64, using: &generator)
        let directions = inputs.map { Tensor.randomNormal($0.shape, dtype: .float64, using: &generator) }
        let gradients = gradient(at: inputs, seed: cotangent, function)
        reverseMode = zip(directions, gradients).map(dot).reduce(0, +)
        let plus = function(zip(inputs, directions).map { $0 + $1 * step })
        let minus = function(zip(inputs, directions).map { $0 - $1 * step })
        finiteDifference = dot((plus - minus) / (2 * step), cotangent)
        self.tolerance = tolerance
        let failed = abs(reverseMode - finiteDifference) > tolerance * max(abs(reverseMode), abs(finiteDifference), 1e-12)
        worstEntry = failed ? GradientCheck.worstEntry(function, inputs, cotangent, gradients, step) : nil
    }

    /// Checks the gradient of `function` with respect to `parameters` (float64) by the same directional
    /// identity: reverse mode through `valueAndGradient(of:)`, central differences by moving every
    /// parameter along its direction. The parameters are restored afterwards.
    public init(parameters: [Parameter], seed: UInt64 = 1, tolerance: Double = 1e-6, step: Double = 1e-5,
                _ function: @escaping () -> Tensor) {
        precondition(parameters.allSatisfy { $0.dtype == .float64 }, "gradient checks run in float64")
        var generator = RandomGenerator(seed: seed)
        let original = parameters.map(\.value)
        let output = function()
        let cotangent = Tensor.randomNormal(output.shape, dtype: .float64, using: &generator)
        let directions = parameters.map { Tensor.randomNormal($0.shape, dtype: .float64, using: &generator) }
        let gradients = valueAndGradient(of: parameters, seed: cotangent, function).gradients
        reverseMode = zip(directions, parameters).map { dot($0, gradients[$1]) }.reduce(0, +)
        func shifted(_ sign: Double) -> Tensor {
            for (parameter, (value, direction)) in zip(parameters, zip(original, directions)) { parameter.value = value + direction * (sign * step) }
            return function()
        }
        finiteDifference = dot((shifted(1) - shifted(-1)) / (2 * step), cotangent)
        for (parameter, value) in zip(parameters, original) { parameter.value = value }
        self.tolerance = tolerance
        worstEntry = nil
    }

    /// Checks a linear `function` by the exact adjoint identity ⟨f(u), v⟩ = ⟨u, fᵀv⟩ (STYLE T3): no finite
    /// differences, so the tolerance can sit at rounding level.
    public init(linear function: @escaping ([Tensor]) -> Tensor, shapes: [[Int]], seed: UInt64 = 1,
                tolerance: Double = 1e-12) {
        var generator = RandomGenerator(seed: seed)
        let directions = shapes.map { Tensor.randomNormal($0, dtype: .float64, using: &generator) }
        let output = function(directions)
        let cotangent = Tensor.randomNormal(output.shape, dtype: .float64, using: &generator)
        let gradients = gradient(at: directions, seed: cotangent, function)
        reverseMode = zip(directions, gradients).map(dot).reduce(0, +)
        finiteDifference = dot(output, cotangent)
        self.tolerance = tolerance
        worstEntry = nil
    }

    /// Finds the input entry whose reverse-mode gradient disagrees most with its own central difference
    /// (inputs of at most 400 elements; larger inputs are not scanned).
    private static func worstEntry(_ function: ([Tensor]) -> Tensor, _ inputs: [Tensor], _ cotangent: Tensor,
                                   _ gradients: [Tensor], _ step: Double) -> String? {
        guard inputs.map(\.scalarCount).reduce(0, +) <= 400 else { return nil }
        var worst: (error: Double, input: Int, index: Int, reverse: Double, numeric: Double)?
        for (inputIndex, input) in inputs.enumerated() {
            let values = input.doubles
            let reverse = gradients[inputIndex].doubles
            for index in values.indices {
                func shifted(_ delta: Double) -> Tensor {
                    var changed = values
                    changed[index] += delta
                    var arguments = inputs
                    arguments[inputIndex] = Tensor(changed, shape: input.shape)
                    return function(arguments)
                }
                let numeric = dot((shifted(step) - shifted(-step)) / (2 * step), cotangent)
                let error = abs(numeric - reverse[index])
                if worst == nil || error > worst!.error {
                    worst = (error, inputIndex, index, reverse[index], numeric)
                }
            }
        }
        return worst.map { "worst entry: input \($0.input) element \($0.index): reverse \($0.reverse), numeric \($0.numeric)" }
    }
}

/// ⟨a, b⟩ = Σ aᵢbᵢ in float64.
public func dot(_ a: Tensor, _ b: Tensor) -> Double {
    precondition(a.shape == b.shape, "dot: shapes \(a.shape) and \(b.shape) differ")
    return zip(a.doubles, b.doubles).reduce(0) { $0 + $1.0 * $1.1 }
}
