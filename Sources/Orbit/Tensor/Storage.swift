import Synchronization

/// The contiguous memory behind a tensor.
///
/// Written once, while the tensor that owns it is being created, and never changed afterwards: that is
/// what makes `Tensor` a value type that can be shared freely between tensors and threads (STYLE C1).
/// Memory is 64-byte aligned and bound to the element type of its dtype.
final class Storage: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int
    /// The tracker active when this storage was allocated, credited again when it is freed.
    private let tracker: MemoryTracker?

    init(dtype: DType, count: Int) {
        byteCount = BufferPool.roundedSize(max(1, count * dtype.byteCount))
        pointer = BufferPool.take(byteCount: byteCount)
            ?? UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        switch dtype {
        case .float32: pointer.bindMemory(to: Float.self, capacity: count)
        case .float64: pointer.bindMemory(to: Double.self, capacity: count)
        case .int64: pointer.bindMemory(to: Int64.self, capacity: count)
        case .bool: pointer.bindMemory(to: Bool.self, capacity: count)
        }
        StorageStatistics.allocated(byteCount)
        tracker = MemoryTracker.current
        tracker?.allocated(byteCount)
    }

    deinit {
        if !BufferPool.give(pointer, byteCount: byteCount) { pointer.deallocate() }
        StorageStatistics.released(byteCount)
        tracker?.released(byteCount)
    }
}

/// Live-memory counters for tensors, for leak tests and memory reports.
public enum StorageStatistics {
    private static let liveCount = Atomic<Int>(0)
    private static let liveByteCount = Atomic<Int>(0)
    private static let peakByteCount = Atomic<Int>(0)

    /// Number of tensor buffers currently alive.
    public static var liveBuffers: Int { liveCount.load(ordering: .relaxed) }
    /// Bytes held by live tensor buffers.
    public static var liveBytes: Int { liveByteCount.load(ordering: .relaxed) }
    /// The highest `liveBytes` seen since the last `resetPeak()`.
    public static var peakBytes: Int { peakByteCount.load(ordering: .relaxed) }

    /// Starts a new peak measurement from the current live bytes.
    public static func resetPeak() { peakByteCount.store(liveBytes, ordering: .relaxed) }

    static func allocated(_ bytes: Int) {
        liveCount.wrappingAdd(1, ordering: .relaxed)
        raisePeak(peakByteCount, to: liveByteCount.wrappingAdd(bytes, ordering: .relaxed).newValue)
    }

    static func released(_ bytes: Int) {
        liveCount.wrappingSubtract(1, ordering: .relaxed)
        liveByteCount.wrappingSubtract(bytes, ordering: .relaxed)
    }
}

/// Counts the tensor memory allocated inside `withMemoryTracking` scopes, until it is freed (wherever
/// that happens). Unlike the process-wide `StorageStatistics`, it is not disturbed by other work
/// running at the same time, so tests can assert that a training step leaks nothing.
public final class MemoryTracker: Sendable {
    @TaskLocal static var current: MemoryTracker?

    private let liveCount = Atomic<Int>(0)
    private let liveByteCount = Atomic<Int>(0)
    private let peakByteCount = Atomic<Int>(0)

    public init() {}

    /// Buffers allocated under this tracker that are still alive.
    public var liveBuffers: Int { liveCount.load(ordering: .relaxed) }
    /// Bytes of those buffers.
    public var liveBytes: Int { liveByteCount.load(ordering: .relaxed) }
    /// The highest `liveBytes` reached.
    public var peakBytes: Int { peakByteCount.load(ordering: .relaxed) }

    /// Runs `body`, attributing every tensor buffer it allocates to this tracker.
    public func track<Result>(_ body: () throws -> Result) rethrows -> Result {
        try MemoryTracker.$current.withValue(self) { try body() }
    }

    func allocated(_ bytes: Int) {
        liveCount.wrappingAdd(1, ordering: .relaxed)
        raisePeak(peakByteCount, to: liveByteCount.wrappingAdd(bytes, ordering: .relaxed).newValue)
    }

    func released(_ bytes: Int) {
        liveCount.wrappingSubtract(1, ordering: .relaxed)
        liveByteCount.wrappingSubtract(bytes, ordering: .relaxed)
    }
}

private func raisePeak(_ peak: borrowing Atomic<Int>, to value: Int) {
    var current = peak.load(ordering: .relaxed)
    while value > current {
        let (exchanged, seen) = peak.compareExchange(expected: current, desired: value, ordering: .relaxed)
        if exchanged { break }
        current = seen
    }
}
