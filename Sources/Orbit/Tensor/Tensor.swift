/// An N-dimensional array with a run-time element type: Orbit's one data type.
///
/// A tensor is a value: a shape, a dtype and a reference to contiguous row-major storage that is never
/// modified after creation, so copies are free and share memory safely. Inside a gradient scope
/// (`valueAndGradient`) a tensor also carries a `Trace`: its node on the active tape. Layout follows
/// PyTorch: activations NCHW, convolution weights OIHW.
///
/// ```swift
/// let x = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
/// let y = (x * x).sum()          // 30
/// ```
public struct Tensor: Sendable {
    /// Size along each axis; `[]` for a scalar.
    public let shape: [Int]
    /// Element type.
    public let dtype: DType
    let storage: Storage
    /// The tape node that produced this tensor, when it was recorded.
    let trace: Trace?

    init(shape: [Int], dtype: DType, storage: Storage, trace: Trace? = nil) {
        self.shape = shape
        self.dtype = dtype
        self.storage = storage
        self.trace = trace
    }

    /// A tensor with fresh, uninitialized storage: kernels fill it before anyone else sees it.
    init(uninitializedShape shape: [Int], dtype: DType) {
        self.init(shape: shape, dtype: dtype, storage: Storage(dtype: dtype, count: shape.elementCount))
    }

    /// Number of axes.
    public var rank: Int { shape.count }
    /// Number of elements (1 for a scalar).
    public var scalarCount: Int { shape.elementCount }

    /// The same values with no tape history: gradients do not flow through the result.
    public func detached() -> Tensor { Tensor(shape: shape, dtype: dtype, storage: storage) }

    /// The same storage labelled with a tape node.
    func traced(_ trace: Trace?) -> Tensor { Tensor(shape: shape, dtype: dtype, storage: storage, trace: trace) }

    // MARK: Raw access for kernels (storage is written only while a tensor is being created)

    func pointer<Scalar>(_: Scalar.Type) -> UnsafeMutablePointer<Scalar> {
        storage.pointer.assumingMemoryBound(to: Scalar.self)
    }

    func buffer<Scalar>(_: Scalar.Type) -> UnsafeBufferPointer<Scalar> {
        UnsafeBufferPointer(start: pointer(Scalar.self), count: scalarCount)
    }

    func mutableBuffer<Scalar>(_: Scalar.Type) -> UnsafeMutableBufferPointer<Scalar> {
        UnsafeMutableBufferPointer(start: pointer(Scalar.self), count: scalarCount)
    }
}

/// Where a recorded tensor sits on a tape.
struct Trace: Sendable {
    let tapeID: UInt64
    let node: Int
}

// MARK: - Scalars in and out

extension Tensor {
    /// A tensor holding `scalars` in row-major order.
    public init<Scalar: TensorScalar>(_ scalars: [Scalar], shape: [Int]) {
        check(shape.allSatisfy { $0 >= 0 }, "Tensor(_:shape:)", "negative size in shape \(shape)")
        check(scalars.count == shape.elementCount, "Tensor(_:shape:)",
              "\(scalars.count) scalars do not fill shape \(shape) (\(shape.elementCount) elements)")
        self.init(uninitializedShape: shape, dtype: Scalar.dtype)
        let destination = mutableBuffer(Scalar.self)
        _ = destination.initialize(from: scalars)
    }

    /// A rank-0 tensor.
    public init<Scalar: TensorScalar>(_ scalar: Scalar) {
        self.init([scalar], shape: [])
    }

    /// A tensor of the given floating-point `dtype` from Double values (rounded to float32 if asked).
    public init(_ values: [Double], shape: [Int], dtype: DType) {
        switch dtype {
        case .float64: self.init(values, shape: shape)
        case .float32: self.init(values.map { Float($0) }, shape: shape)
        case .int64:
            check(values.allSatisfy { $0.isFinite && abs($0) < 0x1p63 }, "Tensor(_:shape:dtype:)",
                  "int64 values must be finite and below 2^63 in magnitude")
            self.init(values.map { Int64($0) }, shape: shape)
        case .bool: self.init(values.map { $0 != 0 }, shape: shape)
        }
    }

    /// The elements in row-major order; `Scalar` must match the dtype.
    public func scalars<Scalar: TensorScalar>(as _: Scalar.Type = Scalar.self) -> [Scalar] {
        check(Scalar.dtype == dtype, "scalars(as:)", "asked for \(Scalar.dtype) elements of a \(dtype) tensor of shape \(shape)")
        return Array(buffer(Scalar.self))
    }

    /// The elements converted to Double, whatever the dtype.
    public var doubles: [Double] {
        switch dtype {
        case .float32: buffer(Float.self).map(Double.init)
        case .float64: Array(buffer(Double.self))
        case .int64: buffer(Int64.self).map(Double.init)
        case .bool: buffer(Bool.self).map { $0 ? 1 : 0 }
        }
    }

    /// The single element of a one-element tensor, as a `Double` whatever the dtype (float32 widens exactly;
    /// int64 beyond 2⁵³ rounds). Stops with the shape when the tensor does not have exactly one element.
    public var item: Double {
        check(scalarCount == 1, "item", "needs a tensor with one element, got shape \(shape)")
        return doubles[0]
    }
}
