/// Argument checks for every public op (STYLE C7).
///
/// `precondition` loses its message in optimized builds; `fatalError` keeps it. So every user-facing check
/// goes through these two functions, which always print `Orbit.<op>: <what was wrong>`: the op, the
/// shapes it got and what it expected.
@inline(__always)
func check(_ condition: Bool, _ operation: @autoclosure () -> String, _ message: @autoclosure () -> String,
           file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fail(operation(), message(), file: file, line: line) }
}

/// Stops the program with `Orbit.<operation>: <message>`.
func fail(_ operation: String, _ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("Orbit.\(operation): \(message)", file: file, line: line)
}

/// Requires a floating-point dtype (the differentiable ones).
func checkFloatingPoint(_ tensor: Tensor, _ operation: String) {
    check(tensor.dtype.isFloatingPoint, operation,
          "needs a float32 or float64 tensor, got \(tensor.dtype) of shape \(tensor.shape)")
}

/// Requires equal dtypes for the operands of a binary op.
func checkSameDType(_ a: Tensor, _ b: Tensor, _ operation: String) {
    check(a.dtype == b.dtype, operation,
          "operands have different dtypes: \(a.dtype) \(a.shape) and \(b.dtype) \(b.shape); convert one with .converted(to:)")
}

/// The same argument check for code built on Orbit (layers, optimizers, datasets): stops with
/// `Orbit.<operation>: <message>` when `condition` is false, in release builds too.
public func requireArgument(_ condition: Bool, _ operation: @autoclosure () -> String,
                            _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fail(operation(), message(), file: file, line: line) }
}
