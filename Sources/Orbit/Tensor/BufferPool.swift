import Foundation
import Synchronization

/// Recycles freed tensor buffers by size.
///
/// A training loop allocates the same shapes every step. Without a pool each large buffer is a fresh
/// mapping from the C allocator, and the first touch of every page faults (a profile of the MNIST step
/// showed ~7% of the time in page clearing and faults). With it, a buffer freed in one step is reused
/// by the next. The pool keeps at most `capacity` bytes; beyond that, freed buffers go back to the
/// system, except that sizes nobody has asked for lately make room first (`BufferCache`). It is
/// invisible to results and to `StorageStatistics`, which count tensors, not the pool.
///
/// The capacity is a quarter of the machine's memory, at least 1 GiB and at most 8 GiB. A step whose
/// buffers do not fit pays page faults for the rest. Measured on a 2-core, 24 GB machine, two epochs each of
/// Conv, Equiv and RSteer at the reference's section-5.2 settings (5 layers, 64 x 64 fields, batch 32; Equiv
/// 256 channels, about 5 GB of buffers): 356 s with 1 GiB (Equiv 118 s per epoch, 161 s of it all in the
/// kernel), 280 s with the default, 6 GiB there (Equiv 81-94 s, 44 s in the kernel), peak memory 5.3 GB and
/// 8.4 GB. The models of the small experiments need far less than 1 GiB.
public enum BufferPool {
    private static let state = Mutex(BufferCache())

    /// Bytes the pool may hold (`BufferCache.defaultCapacity`). Lowering it frees what is above the new limit.
    public static var capacity: Int {
        get { state.withLock { $0.capacity } }
        set { release(state.withLock { $0.setCapacity(newValue).map(PooledBuffer.init) }.map(\.pointer)) }
    }

    /// Bytes currently held for reuse.
    public static var pooledBytes: Int { state.withLock { $0.pooledBytes } }

    /// Returns every pooled buffer to the system.
    public static func drain() { release(state.withLock { $0.removeAll().map(PooledBuffer.init) }.map(\.pointer)) }

    /// Sizes are rounded up to whole cache lines, so nearly equal requests share buffers.
    static func roundedSize(_ byteCount: Int) -> Int { (byteCount + 63) & ~63 }

    static func take(byteCount: Int) -> UnsafeMutableRawPointer? {
        state.withLock { $0.take(byteCount: byteCount).map(PooledBuffer.init) }?.pointer
    }

    /// Keeps `buffer` for reuse; false when the pool is full (the caller frees it).
    static func give(_ buffer: UnsafeMutableRawPointer, byteCount: Int) -> Bool {
        let given = PooledBuffer(pointer: buffer)
        let (kept, evicted) = state.withLock { cache in
            let (kept, evicted) = cache.give(given.pointer, byteCount: byteCount)
            return (kept, evicted.map(PooledBuffer.init))
        }
        release(evicted.map(\.pointer))
        return kept
    }

    /// Frees buffers the cache let go of, outside the lock.
    private static func release(_ buffers: [UnsafeMutableRawPointer]) {
        for buffer in buffers { buffer.deallocate() }
    }
}

/// The bookkeeping of `BufferPool`: free buffers by size, at most `capacity` bytes of them.
///
/// Which buffers to keep when full: a buffer given back is kept if it fits. If it does not, every size that
/// has not been taken or given for `staleAfter` operations is let go first, since the work that used it has
/// ended (an earlier model of an experiment, another batch size). Without that, a pool filled by one model
/// would refuse every buffer of the next (a 5-layer, 128-channel model on 64 x 64 fields trained 1.2x
/// slower after a wider one had filled it than in a fresh process). A size still in use is
/// never let go for a newer one, so a step whose buffers exceed the capacity keeps the same ones each time.
/// Buffers smaller than `minimumSize` are not pooled: they come from the allocator's own fast free lists.
struct BufferCache: ~Copyable {
    static let minimumSize = 4096
    /// Operations (takes and gives of poolable sizes) after which an untouched size counts as stale.
    static let staleAfter = 4096

    /// A quarter of the physical memory, clamped to 1...8 GiB.
    static let defaultCapacity = min(max(Int(ProcessInfo.processInfo.physicalMemory / 4), 1 << 30), 8 << 30)

    private(set) var capacity = BufferCache.defaultCapacity
    private(set) var pooledBytes = 0
    private var free: [Int: [PooledBuffer]] = [:]
    /// The operation count at each size's last take or give.
    private var lastUse: [Int: Int] = [:]
    private var operations = 0

    /// A pooled buffer of exactly `byteCount` bytes, or nil.
    mutating func take(byteCount: Int) -> UnsafeMutableRawPointer? {
        guard byteCount >= Self.minimumSize else { return nil }
        touch(byteCount)
        guard let buffer = free[byteCount]?.popLast() else { return nil }
        pooledBytes -= byteCount
        return buffer.pointer
    }

    /// Keeps `buffer` if it fits, after letting stale sizes go when it would not; returns whether it was kept
    /// and the buffers let go (the caller frees them).
    mutating func give(_ buffer: UnsafeMutableRawPointer, byteCount: Int) -> (kept: Bool, evicted: [UnsafeMutableRawPointer]) {
        guard byteCount >= Self.minimumSize else { return (false, []) }
        touch(byteCount)
        var evicted: [UnsafeMutableRawPointer] = []
        if pooledBytes + byteCount > capacity {
            for (size, last) in lastUse where operations - last > Self.staleAfter {
                lastUse[size] = nil
                guard let buffers = free.removeValue(forKey: size) else { continue }
                pooledBytes -= size * buffers.count
                evicted += buffers.map(\.pointer)
            }
        }
        guard pooledBytes + byteCount <= capacity else { return (false, evicted) }
        free[byteCount, default: []].append(PooledBuffer(pointer: buffer))
        pooledBytes += byteCount
        return (true, evicted)
    }

    /// Sets the capacity (at least 0) and returns what no longer fits, largest sizes first.
    mutating func setCapacity(_ bytes: Int) -> [UnsafeMutableRawPointer] {
        capacity = max(0, bytes)
        var released: [UnsafeMutableRawPointer] = []
        for size in free.keys.sorted(by: >) where pooledBytes > capacity {
            while pooledBytes > capacity, let buffer = free[size]?.popLast() {
                released.append(buffer.pointer)
                pooledBytes -= size
            }
        }
        return released
    }

    /// Empties the cache and returns every buffer it held.
    mutating func removeAll() -> [UnsafeMutableRawPointer] {
        defer { (free, pooledBytes) = ([:], 0) }
        return free.values.flatMap { $0.map(\.pointer) }
    }

    private mutating func touch(_ byteCount: Int) {
        operations += 1
        lastUse[byteCount] = operations
        if operations % Self.staleAfter == 0 {   // forget stale sizes that hold nothing, so the record stays small
            lastUse = lastUse.filter { operations - $0.value <= Self.staleAfter || free[$0.key]?.isEmpty == false }
        }
    }
}

/// A free buffer in the pool: owned by the pool alone until handed out, so sending it is safe.
private struct PooledBuffer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}
