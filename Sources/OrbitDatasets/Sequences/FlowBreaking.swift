import Foundation
import Orbit

/// How, and how far, the motion of `ImperfectTranslatingMNIST` departs from an exact integer flow.
///
/// A digit with start offset p₀ and velocity v from the data's set moves as p_{t+1} = p_t + v_t, with
///
///     drift         v_t = v + a · ( sin(2π c_y/S) cos(2π c_x/S), -cos(2π c_y/S) sin(2π c_x/S) ),
///                   c = p_t + (S/2, S/2) the digit's centre
///     acceleration  v_t = v + α · t,        α uniform in [-a, a]² per digit and sequence
///     noise         v_t = v + ε_t,          ε_t ~ N(0, a²) per component, frame and digit
///
/// in (y, x) order, pixels per frame, on an S × S torus. The drift field is the same for every sequence
/// (a fixed property of the scene, as the symmetry-breaking designs of Wang, Walters and Yu 2022): a
/// Taylor-Green cellular flow, smooth, divergence-free, of period S, whose components average to zero
/// along every row and column, so a digit crossing the canvas speeds up and slows down (and one at rest
/// circles) rather than gaining a constant velocity that a nearby integer flow would explain. The
/// amplitude is a = `level` · `step`, so level 0 is the exact integer flow p_t = p₀ + v·t.
public struct FlowBreaking: Sendable, Equatable, CustomStringConvertible {
    /// The three ways the motion departs from a flow.
    public enum Kind: String, Sendable, CaseIterable {
        /// A position-dependent velocity: a fixed smooth drift field over the torus.
        case drift
        /// A velocity changing by a per-sequence constant each frame.
        case acceleration
        /// Per-frame random velocity jitter.
        case noise
    }

    public var kind: Kind
    /// 0 (exact flows) upwards.
    public var level: Int
    /// The amplitude added per level: px/frame for drift and noise, px/frame² for acceleration.
    public var step: Double

    /// `kind` at `level`, with `step` per level (`defaultStep(for:)` when nil).
    public init(_ kind: Kind, level: Int, step: Double? = nil) {
        let step = step ?? FlowBreaking.defaultStep(for: kind)
        requireArgument(level >= 0 && step.isFinite && step >= 0, "FlowBreaking",
                        "level must be >= 0 and the step finite and >= 0, got level \(level), step \(step) for \(kind)")
        (self.kind, self.level, self.step) = (kind, level, step)
    }

    /// Exact integer flows (level 0).
    public static let none = FlowBreaking(.noise, level: 0)

    /// 0.25 px/frame per level for drift and noise, 0.05 px/frame² for acceleration (α·t(t-1)/2: up to
    /// 8.55 px per axis after 19 frames at level 1).
    public static func defaultStep(for kind: Kind) -> Double { kind == .acceleration ? 0.05 : 0.25 }

    /// a = level · step.
    public var amplitude: Double { Double(level) * step }

    public var description: String { "\(kind) level \(level) (amplitude \(amplitude))" }

    /// The offsets p_0 … p_{T-1} of a digit starting at `start` with velocity `velocity` on an S × S
    /// canvas, drawing the per-digit constants and jitter from `generator`.
    func positions(start: PixelVector, velocity: PixelVector, frameCount: Int, imageSize: Int,
                   using generator: inout RandomGenerator) -> [SIMD2<Double>] {
        let base = SIMD2(Double(velocity.y), Double(velocity.x)), size = Double(imageSize)
        let a = amplitude
        let acceleration = kind == .acceleration
            ? SIMD2(a * (2 * generator.nextUnitDouble() - 1), a * (2 * generator.nextUnitDouble() - 1)) : .zero
        var position = SIMD2(Double(start.y), Double(start.x))
        var positions = [position]
        for time in 0..<max(frameCount - 1, 0) {
            var step = base
            switch kind {
            case .drift:
                let centre = position + size / 2
                let phase = 2 * Double.pi * centre / size   // (y, x) order, as every SIMD2 here
                step += a * SIMD2(sin(phase[0]) * cos(phase[1]), -cos(phase[0]) * sin(phase[1]))
            case .acceleration:
                step += Double(time) * acceleration
            case .noise:
                step += a * SIMD2(generator.nextStandardNormal(), generator.nextStandardNormal())
            }
            position += step
            positions.append(position)
        }
        return positions
    }

    /// The root-mean-square distance, in pixels, between `positions` and the nearest flow of any real
    /// velocity, q_t = q₀ + u·t (a least-squares line per axis): the part of the motion that no flow,
    /// whole-pixel or sub-pixel, explains. For acceleration and noise it is proportional to the level
    /// (every level scales the same draws); it does not see a constant change of velocity.
    public static func flowDeparture(_ positions: [SIMD2<Double>]) -> Double {
        departure(positions) { times, values, meanTime, meanValue, slope in
            zip(times, values).reduce(0) { total, point in
                let residual = point.1 - meanValue - slope * (point.0 - meanTime)
                return total + residual * residual
            }
        }
    }

    /// The root-mean-square distance, in pixels, between `positions` and the nearest integer flow
    /// q_t = q₀ + u·t (q₀, u integer vectors, u any velocity): 0 exactly for an integer flow, at least
    /// `flowDeparture`. Each axis is fitted on its own: u within 2 of the least-squares slope, q₀ within 1
    /// of the best intercept. It grows with the level only while the breaking's change of mean velocity
    /// stays below half a pixel per frame; past that a neighbouring integer flow takes over (a sawtooth).
    public static func integerFlowDeparture(_ positions: [SIMD2<Double>]) -> Double {
        departure(positions) { times, values, meanTime, meanValue, slope in
            var best = Double.infinity
            for velocity in (Int(slope.rounded(.down)) - 2)...(Int(slope.rounded(.up)) + 2) {
                let intercept = (meanValue - Double(velocity) * meanTime).rounded()
                for start in [intercept - 1, intercept, intercept + 1] {
                    best = min(best, zip(times, values).reduce(0) { total, point in
                        let residual = point.1 - start - Double(velocity) * point.0
                        return total + residual * residual
                    })
                }
            }
            return best
        }
    }

    /// sqrt(Σ over both axes of `squaredError`(times, values, mean time, mean value, least-squares slope) / T).
    private static func departure(_ positions: [SIMD2<Double>],
                                  _ squaredError: ([Double], [Double], Double, Double, Double) -> Double) -> Double {
        guard positions.count > 1 else { return 0 }
        let times = positions.indices.map(Double.init)
        let meanTime = times.reduce(0, +) / Double(times.count)
        let spread = times.reduce(0) { $0 + ($1 - meanTime) * ($1 - meanTime) }
        let squared = (0..<2).reduce(0.0) { total, axis in
            let values = positions.map { $0[axis] }
            let meanValue = values.reduce(0, +) / Double(values.count)
            let slope = zip(times, values).reduce(0) { $0 + ($1.0 - meanTime) * ($1.1 - meanValue) } / spread
            return total + squaredError(times, values, meanTime, meanValue, slope)
        }
        return (squared / Double(positions.count)).squareRoot()
    }
}
