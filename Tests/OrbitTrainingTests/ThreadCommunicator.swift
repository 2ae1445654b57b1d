import Foundation
import OrbitTraining

/// `size` ranks as threads of one process, for testing data-parallel training without MPI. Each
/// collective waits until every rank has called it; the last to arrive computes the result for all, summing
/// in rank order, so every rank gets the same bits (as `GradientCommunicator` requires). Ranks that call
/// different collectives, or pass buffers of different lengths, stop the test with both calls named: the
/// mistake MPI would answer with a hang or a truncation error.
final class ThreadGroup: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var contributions: [(call: String, values: [Any])?]
    private var result: [Any] = []
    private var arrived = 0, generation = 0
    /// Collectives completed so far (each counts once, whatever the number of ranks).
    private(set) var completedCalls = 0

    init(size: Int) {
        self.size = size
        contributions = Array(repeating: nil, count: size)
    }

    /// Every rank's `values` in, `combine(all ranks' values in rank order)` out on every rank.
    func exchange(rank: Int, call: String, _ values: [Any], combine: ([[Any]]) -> [Any]) -> [Any] {
        condition.lock()
        defer { condition.unlock() }
        let mine = generation
        contributions[rank] = (call, values)
        arrived += 1
        if arrived == size {
            let all = contributions.map { $0! }
            for (other, contribution) in all.enumerated() where contribution.call != all[0].call || contribution.values.count != all[0].values.count {
                fatalError("ThreadGroup: rank 0 called \(all[0].call) with \(all[0].values.count) values, "
                           + "rank \(other) \(contribution.call) with \(contribution.values.count)")
            }
            result = combine(all.map(\.values))
            (arrived, contributions, generation, completedCalls) = (0, Array(repeating: nil, count: size), generation + 1, completedCalls + 1)
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return result
    }

    /// Runs `body` on `size` threads, one per rank, and returns each rank's outcome in rank order.
    func run<Value: Sendable>(_ body: @escaping @Sendable (ThreadCommunicator) throws -> Value) -> [Result<Value, any Error>] {
        let lock = NSLock(), finished = DispatchGroup()
        nonisolated(unsafe) var outcomes = [Result<Value, any Error>?](repeating: nil, count: size)
        for rank in 0..<size {
            finished.enter()
            let thread = Thread { [self] in
                let outcome = Result { try body(ThreadCommunicator(rank: rank, group: self)) }
                lock.withLock { outcomes[rank] = outcome }
                finished.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        finished.wait()
        return outcomes.map { $0! }
    }
}

/// One rank of a `ThreadGroup`.
final class ThreadCommunicator: GradientCommunicator {
    let rank: Int
    let group: ThreadGroup
    var size: Int { group.size }

    init(rank: Int, group: ThreadGroup) { (self.rank, self.group) = (rank, group) }

    func broadcast(_ bytes: UnsafeMutableRawBufferPointer, root: Int) throws {
        let received = group.exchange(rank: rank, call: "broadcast from \(root)", Array(bytes)) { $0[root] }
        for (index, byte) in received.enumerated() { bytes[index] = byte as! UInt8 }
    }

    func allReduce(_ values: UnsafeMutableBufferPointer<Float>, _ operation: Reduction) throws { reduce(values, operation) }
    func allReduce(_ values: UnsafeMutableBufferPointer<Double>, _ operation: Reduction) throws { reduce(values, operation) }
    func allReduce(_ values: UnsafeMutableBufferPointer<UInt64>, _ operation: Reduction) throws { reduce(values, operation) }

    func barrier() throws { _ = group.exchange(rank: rank, call: "barrier", []) { _ in [] } }

    /// ((v₀ ⊕ v₁) ⊕ v₂) ⊕ ..., element by element, in rank order.
    private func reduce<Scalar: Comparable & AdditiveArithmetic>(_ values: UnsafeMutableBufferPointer<Scalar>, _ operation: Reduction) {
        let received = group.exchange(rank: rank, call: "allReduce \(Scalar.self) \(operation)", Array(values)) { all in
            (0..<all[0].count).map { index in
                all.dropFirst().reduce(all[0][index] as! Scalar) { partial, rank in
                    let value = rank[index] as! Scalar
                    switch operation {
                    case .sum: return partial + value
                    case .minimum: return min(partial, value)
                    case .maximum: return max(partial, value)
                    }
                }
            }
        }
        for index in values.indices { values[index] = received[index] as! Scalar }
    }
}
