import Orbit

/// A 2-D vector of the domain (x to the right, y up), for positions and forces.
public struct FluidVector: Hashable, Codable, Sendable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) { (self.x, self.y) = (x, y) }

    /// The vector turned counter-clockwise by `quarterTurns` x 90 degrees: `(x, y) -> (-y, x)` per turn.
    public func rotated(quarterTurns: Int) -> FluidVector {
        switch ((quarterTurns % 4) + 4) % 4 {
        case 1: FluidVector(-y, x)
        case 2: FluidVector(-x, -y)
        case 3: FluidVector(y, -x)
        default: self
        }
    }

    public var description: String { "(\(x), \(y))" }
}

/// The buoyancy acceleration per unit of smoke density: `force = smoke * b(x, y)`.
public enum Buoyancy: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The same `b` everywhere.
    case uniform(FluidVector)
    /// `left` where x < `boundaryX`, `right` elsewhere: the paper's translation symmetry-breaking
    /// (`(0, 0.1)` left of x = 32, `(0, 0.2)` right of it).
    case halves(boundaryX: Double, left: FluidVector, right: FluidVector)

    /// `b` at horizontal position `x` (it does not depend on y).
    public func acceleration(atX x: Double) -> FluidVector {
        switch self {
        case .uniform(let b): b
        case .halves(let boundary, let left, let right): x < boundary ? left : right
        }
    }

    public var description: String {
        switch self {
        case .uniform(let b): "uniform\(b)"
        case .halves(let boundary, let left, let right): "halves(x<\(boundary):\(left),else:\(right))"
        }
    }
}

/// Everything that determines one smoke-plume simulation; equal scenes give bit-identical sequences.
///
/// Each step (the order of PhiFlow 2.0.1's smoke-plume loop that generated the paper's data):
///
///     smoke    = MacCormack(smoke, velocity, smokeTimeStep) + inflowRate * disc(inflowCenter, inflowRadius)
///     velocity = SemiLagrangian(velocity, velocity, velocityTimeStep) + smoke * buoyancy   (per face)
///     velocity = project(velocity)                                       (divergence-free, closed walls)
///
/// and the frame recorded after the step is the velocity at the cell centres, `[2, height, width]`.
/// The force is added once per step, not multiplied by a time step, as in the reference notebook.
/// `disc` is the cell's covered fraction, approximated by `clamp(radius - distance + 1/2, 0, 1)`.
public struct SmokeScene: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Cells along x and y (cell size 1; the domain is `[0, width] x [0, height]`).
    public var width: Int
    public var height: Int
    /// Centre of the disc-shaped smoke source, in domain units.
    public var inflowCenter: FluidVector
    public var inflowRadius: Double
    /// Smoke added per step to a fully covered cell.
    public var inflowRate: Double
    public var buoyancy: Buoyancy
    /// Time step of the velocity's self-advection (paper: 0.5; the rotation design: 1).
    public var velocityTimeStep: Double
    /// Time step of the smoke's advection (paper: 1).
    public var smokeTimeStep: Double
    /// Steps simulated; the sequence has one frame per step.
    public var steps: Int
    /// Amplitude of a seeded random initial smoke density, uniform in `[0, initialSmokeNoise)` per cell;
    /// 0 (the paper's designs) makes `seed` irrelevant.
    public var initialSmokeNoise: Double
    public var seed: UInt64

    /// A scene; stops the program (naming `SmokeScene`) on sizes < 4, a non-positive radius or step count.
    public init(width: Int = 64, height: Int = 64, inflowCenter: FluidVector, inflowRadius: Double = 5,
                inflowRate: Double = 1, buoyancy: Buoyancy, velocityTimeStep: Double = 0.5,
                smokeTimeStep: Double = 1, steps: Int, initialSmokeNoise: Double = 0, seed: UInt64 = 0) {
        requireArgument(width >= 4 && height >= 4, "SmokeScene", "the grid must be at least 4 x 4 cells, got \(width) x \(height)")
        requireArgument(inflowRadius > 0, "SmokeScene", "inflow radius must be positive, got \(inflowRadius)")
        requireArgument(steps >= 1, "SmokeScene", "needs at least one step, got \(steps)")
        requireArgument(initialSmokeNoise >= 0, "SmokeScene", "noise amplitude must be >= 0, got \(initialSmokeNoise)")
        (self.width, self.height, self.inflowCenter, self.inflowRadius) = (width, height, inflowCenter, inflowRadius)
        (self.inflowRate, self.buoyancy, self.velocityTimeStep, self.smokeTimeStep) =
            (inflowRate, buoyancy, velocityTimeStep, smokeTimeStep)
        (self.steps, self.initialSmokeNoise, self.seed) = (steps, initialSmokeNoise, seed)
    }

    /// The scene turned counter-clockwise by `quarterTurns` x 90 degrees about the domain centre: the
    /// inflow position `p -> c + R(p - c)` and the buoyancy vector `b -> R b`. Needs a square grid and
    /// uniform buoyancy. With the symmetric discretisation, simulating the rotated scene gives the rotated
    /// sequence (`FieldSequence.rotated(quarterTurns:)`) up to rounding; Docs/Fluids.md gives the error.
    public func rotated(quarterTurns: Int) -> SmokeScene {
        requireArgument(width == height, "SmokeScene.rotated", "needs a square grid, got \(width) x \(height)")
        guard case .uniform(let b) = buoyancy else {
            argumentFailure("SmokeScene.rotated", "needs uniform buoyancy, got \(buoyancy)")
        }
        let half = Double(width) / 2
        let offset = FluidVector(inflowCenter.x - half, inflowCenter.y - half).rotated(quarterTurns: quarterTurns)
        var scene = self
        scene.inflowCenter = FluidVector(half + offset.x, half + offset.y)
        scene.buoyancy = .uniform(b.rotated(quarterTurns: quarterTurns))
        return scene
    }

    /// A canonical one-line description, used as the cache key (every field, full precision).
    public var description: String {
        "SmokeScene(v1 \(width)x\(height) inflow \(inflowCenter) r \(inflowRadius) rate \(inflowRate) "
            + "buoyancy \(buoyancy) dtV \(velocityTimeStep) dtS \(smokeTimeStep) steps \(steps) "
            + "noise \(initialSmokeNoise) seed \(seed))"
    }
}

/// Stops with `Orbit.<operation>: <message>` (requireArgument with a false condition, typed `Never`).
func argumentFailure(_ operation: String, _ message: String) -> Never {
    requireArgument(false, operation, message)
    fatalError("unreachable")
}
