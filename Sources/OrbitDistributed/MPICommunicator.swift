import CMPI
import Foundation
import OrbitTraining

/// `GradientCommunicator` over MPI's `MPI_COMM_WORLD`: `broadcast` is `MPI_Bcast` of bytes, `allReduce` is
/// `MPI_Allreduce` in place (`MPI_IN_PLACE`) with `MPI_SUM`, `MPI_MIN` or `MPI_MAX` on `MPI_FLOAT`,
/// `MPI_DOUBLE` or `MPI_UINT64_T`, `barrier` is `MPI_Barrier`. Errors come back as `MPIError` naming the call
/// (the communicator uses `MPI_ERRORS_RETURN`), not as an abort inside the library.
///
/// ```swift
/// let communicator = try MPICommunicator()                 // MPI_Init_thread; run under mpirun -np N
/// let trainer = try Trainer(..., communicator: communicator) { batch, _ in ... }
/// try trainer.run()
/// communicator.finish(0)                                    // MPI_Finalize, exit
/// ```
///
/// MPI is initialized once per process with `MPI_THREAD_SERIALIZED` (Orbit's kernels run on many threads,
/// but only one thread at a time calls MPI); create one communicator and keep it for the program's life.
public final class MPICommunicator: GradientCommunicator {
    public let rank: Int
    public let size: Int
    private let world: MPI_Comm

    /// Initializes MPI (when not yet done) and reads this process's rank and the number of ranks.
    public init() throws {
        var initialized: Int32 = 0
        try MPICommunicator.check("MPI_Initialized", MPI_Initialized(&initialized))
        if initialized == 0 {
            var provided: Int32 = 0
            try MPICommunicator.check("MPI_Init_thread", MPI_Init_thread(nil, nil, orbit_mpi_thread_serialized(), &provided))
            guard provided >= orbit_mpi_thread_serialized() else {
                throw MPIError(call: "MPI_Init_thread", code: 0,
                               message: "the MPI library offers thread level \(provided), below MPI_THREAD_SERIALIZED (\(orbit_mpi_thread_serialized()))")
            }
        }
        world = orbit_mpi_comm_world()
        try MPICommunicator.check("MPI_Comm_set_errhandler", MPI_Comm_set_errhandler(world, orbit_mpi_errors_return()))
        var (rank, size): (Int32, Int32) = (0, 0)
        try MPICommunicator.check("MPI_Comm_rank", MPI_Comm_rank(world, &rank))
        try MPICommunicator.check("MPI_Comm_size", MPI_Comm_size(world, &size))
        (self.rank, self.size) = (Int(rank), Int(size))
    }

    /// Whether this process was started by an MPI launcher (`mpirun`/`mpiexec` of Open MPI or MPICH, or
    /// Slurm's `srun` with PMI/PMIx), from the environment it sets; a program run alone needs no MPI.
    public static var isLaunchedByMPI: Bool {
        let environment = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"].contains { environment[$0] != nil }
    }

    public func broadcast(_ bytes: UnsafeMutableRawBufferPointer, root: Int) throws {
        // MPI counts are Int32: send buffers beyond 2 GiB in pieces.
        for start in stride(from: 0, to: bytes.count, by: Int(Int32.max)) {
            let count = min(Int(Int32.max), bytes.count - start)
            try MPICommunicator.check("MPI_Bcast", MPI_Bcast(bytes.baseAddress! + start, Int32(count), orbit_mpi_byte(), Int32(root), world))
        }
    }

    public func allReduce(_ values: UnsafeMutableBufferPointer<Float>, _ operation: Reduction) throws {
        try allReduce(UnsafeMutableRawPointer(values.baseAddress), count: values.count, orbit_mpi_float(), operation)
    }

    public func allReduce(_ values: UnsafeMutableBufferPointer<Double>, _ operation: Reduction) throws {
        try allReduce(UnsafeMutableRawPointer(values.baseAddress), count: values.count, orbit_mpi_double(), operation)
    }

    public func allReduce(_ values: UnsafeMutableBufferPointer<UInt64>, _ operation: Reduction) throws {
        try allReduce(UnsafeMutableRawPointer(values.baseAddress), count: values.count, orbit_mpi_uint64(), operation)
    }

    public func barrier() throws { try MPICommunicator.check("MPI_Barrier", MPI_Barrier(world)) }

    /// MPI_Allreduce(MPI_IN_PLACE, values, count, type, op, MPI_COMM_WORLD), in pieces of at most 2³¹ - 1.
    private func allReduce(_ values: UnsafeMutableRawPointer?, count: Int, _ type: MPI_Datatype, _ operation: Reduction) throws {
        guard count > 0, let values else { return }   // every rank has the same count, so every rank skips alike
        let op = switch operation {
        case .sum: orbit_mpi_sum()
        case .minimum: orbit_mpi_min()
        case .maximum: orbit_mpi_max()
        }
        var typeSize: Int32 = 0
        try MPICommunicator.check("MPI_Type_size", MPI_Type_size(type, &typeSize))
        for start in stride(from: 0, to: count, by: Int(Int32.max)) {
            let piece = min(Int(Int32.max), count - start)
            try MPICommunicator.check("MPI_Allreduce",
                                      MPI_Allreduce(orbit_mpi_in_place(), values + start * Int(typeSize), Int32(piece), type, op, world))
        }
    }

    /// Ends the program with `status`. After a normal end, or an error every rank threw at the same point
    /// (`endsEveryRank`), all ranks arrive here together: MPI_Finalize, then exit. After an error of this
    /// rank alone, MPI_Abort, so that the other ranks do not wait forever in their next collective call.
    public func finish(_ status: Int32, endsEveryRank: Bool = true) -> Never {
        FileHandle.standardOutput.synchronizeFile()
        if endsEveryRank {
            MPI_Finalize()
            exit(status)
        }
        MPI_Abort(world, status == 0 ? 1 : status)
        exit(status)
    }

    /// Whether `error`, thrown by a data-parallel `Trainer`, was thrown on every rank at the same collective
    /// call (its errors are: `DataParallelError`, and `TrainingError` computed from values all ranks share).
    public static func isThrownOnEveryRank(_ error: any Error) -> Bool {
        error is DataParallelError || error is TrainingError
    }

    /// Sends this rank's standard output to /dev/null when it is not rank 0 (errors stay on standard error),
    /// so a program's progress lines appear once.
    public func silenceStandardOutputUnlessRankZero() {
        guard rank != 0 else { return }
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 { dup2(null, STDOUT_FILENO); close(null) }
    }

    static func check(_ call: String, _ code: Int32) throws {
        guard code != orbit_mpi_success() else { return }
        var text = [CChar](repeating: 0, count: Int(orbit_mpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        throw MPIError(call: call, code: code, message: String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}

/// An MPI call that returned an error code.
public struct MPIError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public let message: String
    public var description: String { "\(call) failed (MPI error \(code)): \(message)" }
}
