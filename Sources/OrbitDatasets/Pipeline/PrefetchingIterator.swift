import Dispatch
import Synchronization

/// Yields `produce(i)` for each `i` in a range, in order; with `prefetchCount > 0` the values for the
/// next `prefetchCount` indices are computed ahead on a private serial Dispatch queue.
///
/// Each value is computed exactly once by `produce`, whichever thread runs it, so a pure `produce`
/// gives the same sequence with and without prefetching. `next()` blocks until its value is ready; an
/// iterator dropped early lets the work already queued finish and discards it.
public struct PrefetchingIterator<Element: Sendable>: IteratorProtocol {
    private let produce: @Sendable (Int) -> Element
    private let end: Int
    private let prefetchCount: Int
    private let queue: DispatchQueue?
    /// The next index to return.
    private var nextIndex: Int
    /// The next index not yet handed to the queue.
    private var nextScheduled: Int
    /// Values being computed for `nextIndex ..< nextScheduled`, in order.
    private var pending: [Promise<Element>] = []

    init(indices: Range<Int>, prefetchCount: Int, produce: @escaping @Sendable (Int) -> Element) {
        self.produce = produce
        self.end = indices.upperBound
        self.prefetchCount = prefetchCount
        nextIndex = indices.lowerBound
        nextScheduled = indices.lowerBound
        queue = prefetchCount > 0 ? DispatchQueue(label: "OrbitDatasets.prefetch", qos: .userInitiated) : nil
    }

    public mutating func next() -> Element? {
        guard nextIndex < end else { return nil }
        defer { nextIndex += 1 }
        guard let queue else { return produce(nextIndex) }
        while nextScheduled < min(end, nextIndex + 1 + prefetchCount) {
            let (promise, index, produce) = (Promise<Element>(), nextScheduled, produce)
            queue.async { promise.fulfill(produce(index)) }
            pending.append(promise)
            nextScheduled += 1
        }
        return pending.removeFirst().wait()
    }
}

/// A value computed on another thread: set once, waited for once.
final class Promise<Value: Sendable>: Sendable {
    private let slot = Mutex<Value?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func fulfill(_ value: Value) {
        slot.withLock { $0 = value }
        ready.signal()
    }

    func wait() -> Value {
        ready.wait()
        guard let value = slot.withLock({ $0.take() }) else { fatalError("OrbitDatasets.Promise: waited for twice") }
        return value
    }
}
