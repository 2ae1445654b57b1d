import Synchronization
internal import OrbitKernels

/// The first op whose output held a NaN or an infinity, found by `withAnomalyDetection`.
public struct Anomaly: Sendable, Equatable, CustomStringConvertible {
    public enum Pass: String, Sendable { case forward, backward }

    /// The primitive's name (`log`, `conv2d`, ...).
    public let operation: String
    /// Whether the value was the primitive's output (forward) or a gradient its pullback produced (backward).
    public let pass: Pass
    /// Shapes of the primitive's inputs.
    public let inputShapes: [[Int]]
    /// Shape of the offending tensor.
    public let shape: [Int]
    /// How many of its elements were NaN or infinite.
    public let nonFiniteCount: Int

    public var description: String {
        let what = pass == .forward ? "output" : "input gradient"
        return "\(operation) (\(pass.rawValue)): \(what) of shape \(shape) holds \(nonFiniteCount) non-finite value(s); inputs \(inputShapes)"
    }
}

/// Runs `body` checking the output of every primitive (and, in gradient scopes, every gradient a pullback
/// produces) for NaN and infinity. Returns the body's result together with the first offender (nil when
/// every value was finite), as the pair `(result, anomaly)`.
///
/// Costs one pass over every tensor produced, so use it to debug, not to train. With `stopOnFirst` the
/// program stops at the first anomaly with a message naming the op and its shapes.
///
/// ```swift
/// let (_, anomaly) = withAnomalyDetection { valueAndGradient(of: model.parameters) { loss() } }
/// if let anomaly { print(anomaly) }   // "log (forward): output of shape [8, 10] holds 3 non-finite value(s); ..."
/// ```
public func withAnomalyDetection<Result>(
    stopOnFirst: Bool = false, _ body: () throws -> Result
) rethrows -> (result: Result, anomaly: Anomaly?) {
    let detector = AnomalyDetector(stopOnFirst: stopOnFirst)
    let result = try AnomalyDetector.$current.withValue(detector) { try body() }
    return (result, detector.first)
}

final class AnomalyDetector: Sendable {
    @TaskLocal static var current: AnomalyDetector?

    let stopOnFirst: Bool
    private let firstAnomaly = Mutex<Anomaly?>(nil)

    init(stopOnFirst: Bool) { self.stopOnFirst = stopOnFirst }

    var first: Anomaly? { firstAnomaly.withLock { $0 } }

    func inspect(_ tensor: Tensor, operation: String, pass: Anomaly.Pass, inputShapes: [[Int]]) {
        let count: Int
        switch tensor.dtype {
        case .float32: count = countNonFinite(tensor.buffer(Float.self))
        case .float64: count = countNonFinite(tensor.buffer(Double.self))
        case .int64, .bool: return
        }
        guard count > 0 else { return }
        let anomaly = Anomaly(operation: operation, pass: pass, inputShapes: inputShapes,
                              shape: tensor.shape, nonFiniteCount: count)
        if stopOnFirst { fail("withAnomalyDetection", "first non-finite value: \(anomaly)") }
        firstAnomaly.withLock { if $0 == nil { $0 = anomaly } }
    }
}
