// Arithmetic with Swift numbers: the number becomes a rank-0 tensor of the other operand's dtype and
// broadcasts, so these are compositions of the tensor primitives and carry no pullback of their own.

extension Tensor {
    /// A rank-0 tensor holding `value` in the dtype of `like`.
    static func scalar(_ value: Double, like: Tensor) -> Tensor {
        Tensor([value], shape: [], dtype: like.dtype)
    }
}

public func + (a: Tensor, b: Double) -> Tensor { a + Tensor.scalar(b, like: a) }
public func + (a: Double, b: Tensor) -> Tensor { Tensor.scalar(a, like: b) + b }
public func - (a: Tensor, b: Double) -> Tensor { a - Tensor.scalar(b, like: a) }
public func - (a: Double, b: Tensor) -> Tensor { Tensor.scalar(a, like: b) - b }
public func * (a: Tensor, b: Double) -> Tensor { a * Tensor.scalar(b, like: a) }
public func * (a: Double, b: Tensor) -> Tensor { Tensor.scalar(a, like: b) * b }
public func / (a: Tensor, b: Double) -> Tensor { a / Tensor.scalar(b, like: a) }
public func / (a: Double, b: Tensor) -> Tensor { Tensor.scalar(a, like: b) / b }

extension Tensor {
    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
}

/// x² element-wise (a composite of `pow`).
public func square(_ x: Tensor) -> Tensor { pow(x, 2) }
