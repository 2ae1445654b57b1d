import Orbit

/// When the velocities of a variable-velocity sequence change: once per sequence, each moving thing
/// switching to another velocity of its set.
public enum VelocitySwitch: Sendable, Equatable {
    /// The motion from frame `frame` to `frame + 1` is the first with the new velocity.
    case atFrame(Int)
    /// As `atFrame`, with the frame drawn uniformly from `frames` for each sequence.
    case randomFrame(ClosedRange<Int>)
}

/// Integer motion on the pixel grid: a start offset and a velocity, which may switch once.
///
/// The offset at frame t is `start + velocity * min(t, s) + switchedVelocity * max(t - s, 0)` with `s` the
/// switch frame, so `offset(t + 1) - offset(t) == velocity(t)` for every t.
public struct Trajectory: Sendable, Equatable {
    /// The offset at frame 0.
    public var start: PixelVector
    /// Pixels per frame until the switch.
    public var velocity: PixelVector
    /// The first frame that moves with `switchedVelocity` (its motion to the next frame); nil: no switch.
    public var switchFrame: Int?
    /// Pixels per frame from `switchFrame` on (equal to `velocity` without a switch).
    public var switchedVelocity: PixelVector

    /// A constant-velocity trajectory, or one that switches to `switchedVelocity` at `switchFrame`.
    public init(start: PixelVector, velocity: PixelVector, switchFrame: Int? = nil, switchedVelocity: PixelVector? = nil) {
        self.start = start
        self.velocity = velocity
        self.switchFrame = switchFrame
        self.switchedVelocity = switchedVelocity ?? velocity
    }

    /// The displacement from frame `time` to frame `time + 1`.
    public func velocity(atFrame time: Int) -> PixelVector {
        if let switchFrame, time >= switchFrame { return switchedVelocity }
        return velocity
    }

    /// The offset at frame `time` (not reduced modulo any canvas size).
    public func offset(atFrame time: Int) -> PixelVector {
        guard let switchFrame, time > switchFrame else { return start + time * velocity }
        return start + switchFrame * velocity + (time - switchFrame) * switchedVelocity
    }

    /// A trajectory with a uniform velocity from `velocities` and, with `velocitySwitch`, a switch to a
    /// different velocity of the set, drawn uniformly among the others.
    static func draw(start: PixelVector, velocities: [PixelVector], velocitySwitch: VelocitySwitch?,
                     switchFrame: Int?, using generator: inout RandomGenerator) -> Trajectory {
        let velocity = ExampleSeeding.choose(velocities, using: &generator)
        guard let switchFrame else { return Trajectory(start: start, velocity: velocity) }
        let others = velocities.filter { $0 != velocity }
        return Trajectory(start: start, velocity: velocity, switchFrame: switchFrame,
                          switchedVelocity: ExampleSeeding.choose(others, using: &generator))
    }
}

extension VelocitySwitch {
    /// Stops the program unless the switch lies inside a sequence of `frameCount` frames and `velocities`
    /// offers something to switch to.
    func validate(frameCount: Int, velocities: [PixelVector], operation: String) {
        let frames: ClosedRange<Int>
        switch self {
        case let .atFrame(frame): frames = frame...frame
        case let .randomFrame(range): frames = range
        }
        requireArgument(frames.lowerBound >= 1 && frames.upperBound <= frameCount - 1, operation,
                        "switch frames \(frames) must lie in 1...\(frameCount - 1) for \(frameCount) frames")
        requireArgument(Set(velocities).count >= 2, operation, "a velocity switch needs at least two distinct velocities, got \(velocities)")
    }

    /// This sequence's switch frame.
    func drawFrame(using generator: inout RandomGenerator) -> Int {
        switch self {
        case let .atFrame(frame): frame
        case let .randomFrame(range): ExampleSeeding.uniform(in: range.lowerBound..<(range.upperBound + 1), using: &generator)
        }
    }
}
