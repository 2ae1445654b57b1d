import Synchronization

/// Reusable, 64-byte aligned scratch memory for packed panels and other per-chunk temporaries.
///
/// A chunk of a parallel loop takes a buffer, uses it and gives it back, so a kernel allocates
/// nothing after the first calls (at most one buffer per thread is live; the pool keeps a few
/// around). Which buffer a chunk gets never affects its result: callers initialise what they read.
enum ScratchPool {
    private static let retainedLimit = 8
    /// Larger buffers are freed on return rather than kept (a one-off huge problem should not pin memory).
    /// 256 MB keeps the padded input of a FERNN step at |V| = 25 (92 MB), which otherwise faults in
    /// fresh pages on every call (5% of the step in a profile).
    private static let retainedByteLimit = 256 << 20
    private static let buffers = Mutex<[ScratchBuffer]>([])

    /// Runs `body` with at least `count` uninitialised elements of `Scalar`, 64-byte aligned.
    static func withScratch<Scalar, Result>(
        _ type: Scalar.Type, count: Int, _ body: (UnsafeMutablePointer<Scalar>) -> Result
    ) -> Result {
        let byteCount = max(1, count) * MemoryLayout<Scalar>.stride
        let buffer = take(byteCount: byteCount)
        defer { giveBack(buffer) }
        return body(buffer.memory.bindMemory(to: Scalar.self, capacity: max(1, count)))
    }

    private static func take(byteCount: Int) -> ScratchBuffer {
        let reused = buffers.withLock { buffers -> ScratchBuffer? in
            guard let index = buffers.firstIndex(where: { $0.byteCount >= byteCount }) else { return nil }
            return buffers.remove(at: index)
        }
        // Round fresh buffers up so slightly larger later requests can reuse them.
        return reused ?? ScratchBuffer(byteCount: max(byteCount, 1 << 16) + (byteCount >> 3))
    }

    private static func giveBack(_ buffer: ScratchBuffer) {
        guard buffer.byteCount <= retainedByteLimit else { return }
        buffers.withLock { buffers in
            buffers.append(buffer)
            if buffers.count > retainedLimit {
                // Keep the largest buffers: they serve every smaller request.
                buffers.sort { $0.byteCount > $1.byteCount }
                buffers.removeLast()
            }
        }
    }
}

/// One owned allocation; freed when the pool drops it.
private final class ScratchBuffer: @unchecked Sendable {
    let memory: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int) {
        self.byteCount = byteCount
        memory = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    }

    deinit { memory.deallocate() }
}
