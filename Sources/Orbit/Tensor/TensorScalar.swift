/// A Swift type that can be the element of a tensor: `Float` (float32), `Double` (float64),
/// `Int64` (int64, for indices and labels) and `Bool` (masks).
public protocol TensorScalar: Sendable {
    /// The tensor element type this Swift type stores.
    static var dtype: DType { get }
    /// The value as a Double (used for printing and mixed-type comparisons).
    var doubleValue: Double { get }
    /// The value converted from a Double (rounding as Swift's initializers do).
    init(fromDouble value: Double)
}

extension Float: TensorScalar {
    public static var dtype: DType { .float32 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self.init(value) }
}

extension Double: TensorScalar {
    public static var dtype: DType { .float64 }
    public var doubleValue: Double { self }
    public init(fromDouble value: Double) { self = value }
}

extension Int64: TensorScalar {
    public static var dtype: DType { .int64 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self.init(value) }
}

extension Bool: TensorScalar {
    public static var dtype: DType { .bool }
    public var doubleValue: Double { self ? 1 : 0 }
    public init(fromDouble value: Double) { self = value != 0 }
}
