import Orbit

/// What data-parallel training needs from a message-passing library, in MPI's terms: `size` processes
/// ("ranks") run the same program, and every operation below is collective, so every rank calls it, in
/// the same order, with buffers of the same length. `Trainer` uses one when given one (Docs/Distributed.md).
///
/// `OrbitDistributed`'s `MPICommunicator` implements it with MPI (`MPI_Bcast`, `MPI_Allreduce`,
/// `MPI_Barrier` on `MPI_COMM_WORLD`); OrbitTraining itself never links MPI. Tests use one over threads.
///
/// ```swift
/// let communicator = try MPICommunicator()          // OrbitDistributed, under mpirun
/// let trainer = try Trainer(model: model, optimizer: Adam(), data: batches, configuration: configuration,
///                           communicator: communicator) { batch, _ in meanSquaredError(model(batch.inputs), batch.targets) }
/// ```
public protocol GradientCommunicator: AnyObject {
    /// This process's index in 0..<size. Rank 0 writes the files and prints the progress.
    var rank: Int { get }
    /// The number of processes.
    var size: Int { get }
    /// Replaces `bytes` on every rank by the bytes of rank `root` (MPI_Bcast of MPI_BYTE).
    func broadcast(_ bytes: UnsafeMutableRawBufferPointer, root: Int) throws
    /// Replaces `values` on every rank by their element-wise reduction over the ranks,
    /// values[i] ← ⊕_r values_r[i] (MPI_Allreduce in place). Every rank must receive the same bits.
    func allReduce(_ values: UnsafeMutableBufferPointer<Float>, _ operation: Reduction) throws
    /// `allReduce` of float64 values.
    func allReduce(_ values: UnsafeMutableBufferPointer<Double>, _ operation: Reduction) throws
    /// `allReduce` of unsigned 64-bit integers (fingerprints, flags).
    func allReduce(_ values: UnsafeMutableBufferPointer<UInt64>, _ operation: Reduction) throws
    /// Returns once every rank has called it (MPI_Barrier).
    func barrier() throws
}

/// The element-wise reduction of `GradientCommunicator.allReduce` (MPI_SUM, MPI_MIN, MPI_MAX).
public enum Reduction: Sendable {
    case sum, minimum, maximum
}

/// Why data-parallel training stopped. Both are thrown on every rank at the same collective call, so
/// a program may shut MPI down normally (`MPI_Finalize`) after catching one.
public enum DataParallelError: Error, CustomStringConvertible, Equatable {
    /// The ranks do not train the same thing: each difference names what differs and its range over ranks.
    case ranksDisagree(name: String, differences: [String])
    /// Rank `rank` failed with `reason` (that rank throws its own error; the others throw this).
    case rankFailed(name: String, rank: Int, reason: String)

    public var description: String {
        switch self {
        case .ranksDisagree(let name, let differences):
            "\(name): the ranks disagree on \(differences.joined(separator: "; ")); "
                + "every rank must run the same model, settings and data (same command line and files)"
        case .rankFailed(let name, let rank, let reason): "\(name): rank \(rank) failed: \(reason)"
        }
    }
}

/// One figure every rank must agree on, compared by `requireAgreement`.
struct RankFingerprint {
    let name: String
    let value: UInt64
    /// Shown as a number (a count) rather than as a hexadecimal digest.
    let isCount: Bool

    static func count(_ name: String, _ value: some BinaryInteger) -> RankFingerprint {
        RankFingerprint(name: name, value: UInt64(truncatingIfNeeded: value), isCount: true)
    }
    static func digest(_ name: String, of text: String) -> RankFingerprint {
        RankFingerprint(name: name, value: fnv1a(Array(text.utf8)), isCount: false)
    }

    /// 64-bit FNV-1a of `bytes`.
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}

extension GradientCommunicator {
    /// Throws `DataParallelError.ranksDisagree` on every rank when any fingerprint differs between ranks,
    /// naming each with its minimum and maximum over the ranks (two allreduces of `items.count` values).
    func requireAgreement(_ items: [RankFingerprint], name: String) throws {
        var low = items.map(\.value), high = low
        try low.withUnsafeMutableBufferPointer { try allReduce($0, .minimum) }
        try high.withUnsafeMutableBufferPointer { try allReduce($0, .maximum) }
        let differences = items.indices.filter { low[$0] != high[$0] }.map { index in
            let format = { (value: UInt64) in items[index].isCount ? "\(value)" : "0x" + String(value, radix: 16) }
            return "\(items[index].name) (from \(format(low[index])) to \(format(high[index])) over \(size) ranks)"
        }
        guard differences.isEmpty else { throw DataParallelError.ranksDisagree(name: name, differences: differences) }
    }

    /// `root`'s `bytes` on every rank (the other ranks' arguments are ignored): its length, then its contents.
    func broadcast(bytes: [UInt8], root: Int) throws -> [UInt8] {
        var count = [UInt64(rank == root ? bytes.count : 0)]
        try count.withUnsafeMutableBytes { try broadcast($0, root: root) }
        var received = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count[0]))
        if count[0] > 0 { try received.withUnsafeMutableBytes { try broadcast($0, root: root) } }
        return received
    }

    /// Runs `body` on this rank, then makes its failure collective: when some rank threw, that rank
    /// rethrows its error and every other rank throws `DataParallelError.rankFailed` with the first
    /// failing rank's message, so no rank goes on to a collective call the failed one will never make.
    /// One allreduce of one value when nothing failed.
    func collectively<Value>(_ name: String, _ body: () throws -> Value) throws -> Value {
        let outcome = Result { try body() }
        var firstFailure = [UInt64(outcome.isFailure ? rank : Int.max)]
        try firstFailure.withUnsafeMutableBufferPointer { try allReduce($0, .minimum) }
        guard firstFailure[0] != UInt64(Int.max) else { return try outcome.get() }
        let failed = Int(firstFailure[0])
        let message = outcome.failureDescription.map { Array($0.utf8) } ?? []
        let reason = String(decoding: try broadcast(bytes: message, root: failed), as: UTF8.self)
        if case .failure(let error) = outcome { throw error }
        throw DataParallelError.rankFailed(name: name, rank: failed, reason: reason)
    }
}

private extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
    var failureDescription: String? { if case .failure(let error) = self { String(describing: error) } else { nil } }
}
