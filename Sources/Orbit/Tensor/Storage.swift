import Synchronization

/// The contiguous memory behind a tensor.
///
/// Written once, while the tensor that owns it is being created, and never changed afterwards: that is
/// what makes `Tensor` a value type that can be shared freely between tensors and threads (STYLE C1).
/// Memory is 64-byte aligned and bound to the element type of its dtype.
final class Storage: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int

    init(dtype: DType, count: Int) {
        byteCount = max(1, count * dtype.byteCount)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        switch dtype {
        case .float32: pointer.bindMemory(to: Float.self, capacity: count)
        case .float64: pointer.bindMemory(to: Double.self, capacity: count)
        case .int64: pointer.bindMemory(to: Int64.self, capacity: count)
        case .bool: pointer.bindMemory(to: Bool.self, capacity: count)
        }
        StorageStatistics.allocated(byteCount)
    }

    deinit {
        pointer.deallocate()
        StorageStatistics.released(byteCount)
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
        let live = liveByteCount.wrappingAdd(bytes, ordering: .relaxed).newValue
        var peak = peakByteCount.load(ordering: .relaxed)
        while live > peak {
            let (exchanged, current) = peakByteCount.compareExchange(
                expected: peak, desired: live, ordering: .relaxed)
            if exchanged { break }
            peak = current
        }
    }

    static func released(_ bytes: Int) {
        liveCount.wrappingSubtract(1, ordering: .relaxed)
        liveByteCount.wrappingSubtract(bytes, ordering: .relaxed)
    }
}
