import Dispatch
import Orbit
import Synchronization

/// The sequences of a `SmokePlumeDesign`, simulated (or read from a `FluidCache`), and their splits.
///
/// ```swift
/// let data = try SmokePlumeData(.rotation(), cache: FluidCache(directory: url)) { done, total in
///     bar.update(completed: done, examples: done)      // e.g. OrbitCommandLine's ProgressBar
/// }
/// let train = data.windows(.train)                      // FluidWindows: inputs [20, 64, 64], targets [6, 2, 64, 64]
/// ```
/// Splits follow the reference protocol (`FluidSplitPlan.paper`): train, validation and test-future
/// windows come from the training tasks (at starts 0..<160, 160..<200 and 200..<250), test-domain windows
/// from the unseen tasks (0..<100). Velocities are not normalised (neither are the reference's).
public struct SmokePlumeData: Sendable {
    public let design: SmokePlumeDesign
    /// One sequence per task, `[T, 2, 64, 64]`, in the order of `design.trainTasks` / `testDomainTasks`.
    public let trainSequences: [FieldSequence]
    public let testDomainSequences: [FieldSequence]

    /// Simulates the design's tasks (both cores, one task per thread), or reads them from `cache`.
    ///
    /// - Parameter progress: called, one call at a time, with (steps done, total steps) over all tasks;
    ///   cached tasks count as done at once. OrbitDatasets draws nothing itself: executables pass a
    ///   closure that updates their progress bar.
    public init(_ design: SmokePlumeDesign, cache: FluidCache? = nil,
                progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        let tasks = design.trainTasks + design.testDomainTasks
        let total = tasks.reduce(0) { $0 + $1.scene.steps }
        let board = TaskBoard(count: tasks.count, total: total, progress: progress)
        DispatchQueue.concurrentPerform(iterations: tasks.count) { index in
            let task = tasks[index]
            var reported = 0
            let compute = { () -> FieldSequence in
                task.simulate { step in
                    board.advance(by: step - reported)
                    reported = step
                }
            }
            do {
                let sequence = try cache.map { try $0.sequence(for: task.description, compute: compute) } ?? compute()
                board.advance(by: task.scene.steps - reported)
                board.finish(index, with: .success(sequence))
            } catch {
                board.finish(index, with: .failure(error))
            }
        }
        let results = try board.results()
        let sequences = results
        self.design = design
        trainSequences = Array(sequences[..<design.trainTasks.count])
        testDomainSequences = Array(sequences[design.trainTasks.count...])
    }

    /// The windows of `split` under `plan`; stops the program (naming `FluidWindows`) when the sequences
    /// are too short for the plan (`plan.requiredFrames`; 281 for the paper's plan).
    public func windows(_ split: FluidSplit, plan: FluidSplitPlan = .paper) -> FluidWindows {
        let (starts, targetLength) = plan.windows(for: split)
        let sequences = split == .testDomain ? testDomainSequences : trainSequences
        return FluidWindows(sequences, starts: starts, inputLength: plan.inputLength, targetLength: targetLength,
                            offset: plan.offset)
    }
}

/// Progress and results of tasks simulated on several threads.
private final class TaskBoard: Sendable {
    private let state: Mutex<(done: Int, results: [Result<FieldSequence, any Error>?])>
    private let total: Int
    private let progress: (@Sendable (Int, Int) -> Void)?

    init(count: Int, total: Int, progress: (@Sendable (Int, Int) -> Void)?) {
        state = Mutex((0, [Result<FieldSequence, any Error>?](repeating: nil, count: count)))
        (self.total, self.progress) = (total, progress)
    }

    /// Counts `steps` more steps done and reports the total (under the lock, so calls never overlap).
    func advance(by steps: Int) {
        state.withLock { value in
            value.done += steps
            progress?(value.done, total)
        }
    }

    func finish(_ index: Int, with result: Result<FieldSequence, any Error>) {
        state.withLock { $0.results[index] = result }
    }

    /// Every task's sequence, in order, or the first error.
    func results() throws -> [FieldSequence] {
        try state.withLock { $0.results }.map { try $0!.get() }
    }
}
