@testable import Orbit
import Testing

// The tensor buffer pool's bookkeeping (`BufferCache`; the global `BufferPool` is one behind a lock): buffers come
// back by exact size, the capacity holds, and sizes unused for `staleAfter` operations make room for new ones.

private let kilobytes = 1024

/// A buffer of `byteCount` bytes from the system; the tests free what the cache lets go of.
private func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
    UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
}

@Test func aGivenBufferComesBackForItsSizeOnly() {
    var cache = BufferCache()
    let buffer = allocate(64 * kilobytes)
    #expect(cache.give(buffer, byteCount: 64 * kilobytes) == (true, []))
    #expect(cache.take(byteCount: 32 * kilobytes) == nil)
    #expect(cache.take(byteCount: 64 * kilobytes) == buffer)
    #expect(cache.take(byteCount: 64 * kilobytes) == nil && cache.pooledBytes == 0)
    // Small buffers are left to the allocator.
    let small = allocate(1 * kilobytes)
    #expect(cache.give(small, byteCount: 1 * kilobytes) == (false, []))
    small.deallocate()
    buffer.deallocate()
}

@Test func aFullCacheRefusesBuffersWhileEverySizeIsInUse() {
    var cache = BufferCache()
    _ = cache.setCapacity(128 * kilobytes)
    let (a, b, c) = (allocate(64 * kilobytes), allocate(64 * kilobytes), allocate(32 * kilobytes))
    #expect(cache.give(a, byteCount: 64 * kilobytes).kept && cache.give(b, byteCount: 64 * kilobytes).kept)
    #expect(cache.give(c, byteCount: 32 * kilobytes) == (false, []), "over the capacity, and the 64 KB size is fresh")
    #expect(cache.pooledBytes == 128 * kilobytes)
    c.deallocate()
    for buffer in cache.removeAll() { buffer.deallocate() }
    #expect(cache.pooledBytes == 0)
}

/// The pool filled by one model's buffers (64 KB) makes room for the next model's (32 KB) once the old size has
/// not been used for `staleAfter` operations, and not before.
@Test func staleSizesMakeRoomForNewOnes() {
    var cache = BufferCache()
    _ = cache.setCapacity(128 * kilobytes)
    let old = [allocate(64 * kilobytes), allocate(64 * kilobytes)]
    for buffer in old { #expect(cache.give(buffer, byteCount: 64 * kilobytes).kept) }
    // The next model: each step takes a 32 KB buffer (a miss while the pool is full of 64 KB ones) and frees it.
    var steps = 0, kept = false, released: [UnsafeMutableRawPointer] = []
    var buffer = allocate(32 * kilobytes)
    while released.isEmpty && steps < BufferCache.staleAfter {
        steps += 1
        buffer = cache.take(byteCount: 32 * kilobytes) ?? allocate(32 * kilobytes)
        (kept, released) = cache.give(buffer, byteCount: 32 * kilobytes)
        if !kept { buffer.deallocate() }
    }
    // Two operations per step after the two gives: the 64 KB size is stale from operation 2 + staleAfter + 1 on.
    #expect(2 * steps > BufferCache.staleAfter && 2 * steps <= BufferCache.staleAfter + 2, "let go after \(steps) steps")
    #expect(kept && Set(released) == Set(old), "the stale 64 KB buffers are let go and the 32 KB one is kept")
    #expect(cache.pooledBytes == 32 * kilobytes && cache.take(byteCount: 32 * kilobytes) == buffer)
    for buffer in released { buffer.deallocate() }
    buffer.deallocate()
}

@Test func loweringTheCapacityReleasesTheLargestBuffersFirst() {
    var cache = BufferCache()
    let (large, small) = (allocate(64 * kilobytes), allocate(8 * kilobytes))
    #expect(cache.give(large, byteCount: 64 * kilobytes).kept && cache.give(small, byteCount: 8 * kilobytes).kept)
    #expect(cache.setCapacity(16 * kilobytes) == [large] && cache.pooledBytes == 8 * kilobytes)
    #expect(cache.take(byteCount: 8 * kilobytes) == small)
    large.deallocate()
    small.deallocate()
}
