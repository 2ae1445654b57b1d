import Orbit

/// The data sets of growing C4 equivariance error (Wang, Walters and Yu 2022, section 5.2;
/// Docs/References.md §A6).
///
/// Simulation i (i = 0..<50) is the bottom plume (inflow (32, 5), radius 5, velocity step 0.5) with upward
/// buoyancy `0.005 (i + 1)`, run for 61 steps, frames 10..<60 kept (50 frames). Data set ("level") l
/// holds four sequences: simulation 1 as it is, and simulations 1 + l, 1 + 2l, 1 + 3l turned by 90, 180
/// and 270 degrees. At level 0 it is one simulation under the four rotations, exactly C4-symmetric; as l
/// grows, the rotated copies come from plumes pushed ever harder, so the symmetry breaks more. The level is
/// the parameter that interpolates from symmetric (0) to broken (9, or any l with 1 + 3l < 50).
public struct EquivarianceLevelData: Sendable {
    /// Simulated steps (61) and kept frames (10..<60), as in the reference notebook.
    public static let steps = 61
    public static let keptFrames = 10..<60

    /// Simulation `index`'s scene: upward buoyancy `0.005 (index + 1)`.
    public static func scene(index: Int, steps: Int = EquivarianceLevelData.steps) -> SmokeScene {
        requireArgument(index >= 0 && index < 50, "EquivarianceLevelData.scene", "index must be in 0..<50, got \(index)")
        return SmokeScene(inflowCenter: FluidVector(32, 5), buoyancy: .uniform(FluidVector(0, 0.005 * Double(index + 1))),
                          velocityTimeStep: 0.5, steps: steps)
    }

    /// The levels this instance holds, in the order given.
    public let levels: [Int]
    /// Kept frames of each simulation used, `[50, 2, 64, 64]` by default, keyed by simulation index.
    public let simulations: [Int: FieldSequence]

    /// Simulates (or reads from `cache`) the simulations that `levels` use: indices `1 + k l`, k = 0...3.
    ///
    /// - Parameters:
    ///   - steps, keptFrames: shorter runs for tests (defaults: the reference's 61 and 10..<60).
    ///   - progress: (steps done, total steps), as for `SmokePlumeData`.
    public init(levels: [Int] = Array(0..<10), steps: Int = EquivarianceLevelData.steps,
                keptFrames: Range<Int> = EquivarianceLevelData.keptFrames, cache: FluidCache? = nil,
                progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        requireArgument(!levels.isEmpty && levels.allSatisfy { $0 >= 0 && 1 + 3 * $0 < 50 },
                        "EquivarianceLevelData", "levels \(levels) must be in 0...16 (level l needs simulation 1 + 3 l < 50)")
        let indices = Set(levels.flatMap { level in (0..<4).map { 1 + $0 * level } }).sorted()
        let tasks = indices.map { SmokePlumeTask(name: "e\($0)", scene: Self.scene(index: $0, steps: steps), keptFrames: keptFrames) }
        let data = try SmokePlumeData(SmokePlumeDesign(symmetry: .rotation, trainTasks: tasks, testDomainTasks: []),
                                      cache: cache, progress: progress)
        self.levels = levels
        simulations = Dictionary(uniqueKeysWithValues: zip(indices, data.trainSequences))
    }

    /// Level `level`'s four sequences: simulation 1, then simulations 1 + l, 1 + 2l, 1 + 3l rotated by
    /// 1, 2 and 3 quarter-turns (`FieldSequence.rotated(quarterTurns:)`).
    public func sequences(level: Int) -> [FieldSequence] {
        requireArgument(levels.contains(level), "EquivarianceLevelData.sequences", "level \(level) is not in \(levels)")
        return (0..<4).map { k in simulations[1 + k * level]!.rotated(quarterTurns: k) }
    }

    /// The data's equivariance error at `level`, the reference notebook's measure: the mean over frames
    /// 10..<(T - 1) and all values of `(|d1 - d2| + |d1 - d3| + |d1 - d4|) / 3`, where d1...d4 are the four
    /// simulations before rotation (rotating back is exact, so this equals comparing the rotated data with
    /// the rotated first sequence). Level 0 gives exactly 0.
    public func dataEquivarianceError(level: Int) -> Double {
        requireArgument(levels.contains(level), "EquivarianceLevelData.dataEquivarianceError", "level \(level) is not in \(levels)")
        let first = simulations[1]!
        let frames = min(10, max(first.count - 1, 0))..<max(first.count - 1, 0)
        let reference = first.frames(frames)
        let errors = (1..<4).map { k in simulations[1 + k * level]!.frames(frames).meanAbsoluteDifference(to: reference) }
        return errors.reduce(0, +) / 3
    }
}
