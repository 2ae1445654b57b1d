import Orbit

/// A running smoke-plume simulation: a staggered (MAC) velocity grid and a cell-centred smoke density,
/// advanced one step at a time. `SmokeScene` documents the step; StaggeredGrid.swift the layout.
///
/// ```swift
/// var simulation = SmokeSimulation(scene)
/// simulation.step()
/// let frame = simulation.velocityFrame()     // [2, H, W] Floats: x- then y-components at cell centres
/// ```
/// Boundary conditions: closed walls (normal velocity 0 on the boundary faces, velocity 0 outside when
/// interpolating), smoke extended with zero gradient outside (PhiFlow's `extrapolation.BOUNDARY`).
/// Arithmetic is in Double; frames are rounded to Float.
public struct SmokeSimulation: Sendable {
    public let scene: SmokeScene
    /// Steps taken so far.
    public private(set) var stepCount = 0
    /// Smoke density at the cell centres, `[height][width]`, row 0 at the bottom.
    public private(set) var smoke: [Double]
    /// The largest |divergence| of a cell just before and just after the last projection (velocity in
    /// cells per unit time; the divergence is a flux per cell).
    public private(set) var lastDivergence: (beforeProjection: Double, afterProjection: Double) = (0, 0)
    var velocity: StaggeredVelocity
    private let solver: PressureSolver
    private let inflow: [Double]

    /// A simulation at rest (zero velocity, no smoke unless the scene asks for seeded noise).
    public init(_ scene: SmokeScene) {
        self.scene = scene
        let (width, height) = (scene.width, scene.height)
        velocity = StaggeredVelocity(width: width, height: height)
        solver = PressureSolver(width: width, height: height)
        var inflow = [Double](repeating: 0, count: width * height)
        for j in 0..<height {
            for i in 0..<width {
                // Offsets are exact (half-integers minus the centre), so a rotated scene gets the same
                // fractions in the rotated cells, bit for bit.
                let dx = Double(i) + 0.5 - scene.inflowCenter.x, dy = Double(j) + 0.5 - scene.inflowCenter.y
                let distance = (dx * dx + dy * dy).squareRoot()
                inflow[j * width + i] = scene.inflowRate * min(max(scene.inflowRadius - distance + 0.5, 0), 1)
            }
        }
        self.inflow = inflow
        var generator = RandomGenerator(seed: scene.seed)
        smoke = (0..<(width * height)).map { _ in
            scene.initialSmokeNoise == 0 ? 0 : scene.initialSmokeNoise * generator.nextUnitDouble()
        }
    }

    /// Advances one step: smoke advection and inflow, velocity self-advection and buoyancy, projection.
    public mutating func step() {
        let (width, height) = (scene.width, scene.height)
        smoke = Advection.macCormack(smoke, by: velocity, timeStep: scene.smokeTimeStep)
        for index in smoke.indices { smoke[index] += inflow[index] }
        velocity = Advection.semiLagrangian(velocity, timeStep: scene.velocityTimeStep)
        // Buoyancy on the interior faces: smoke averaged from the two cells beside the face, times the
        // acceleration at the face's x position.
        for j in 0..<height {
            for i in 1..<width {
                let b = scene.buoyancy.acceleration(atX: Double(i))
                if b.x != 0 { velocity.u[j * (width + 1) + i] += 0.5 * (smoke[j * width + i - 1] + smoke[j * width + i]) * b.x }
            }
        }
        for j in 1..<height {
            for i in 0..<width {
                let b = scene.buoyancy.acceleration(atX: Double(i) + 0.5)
                if b.y != 0 { velocity.v[j * width + i] += 0.5 * (smoke[(j - 1) * width + i] + smoke[j * width + i]) * b.y }
            }
        }
        let divergence = solver.project(&velocity)
        lastDivergence = (divergence.before, divergence.after)
        stepCount += 1
    }

    /// The velocity at the cell centres as Floats, `[2, height, width]`.
    public func velocityFrame() -> [Float] { velocity.centered().map { Float($0) } }

    /// The velocity at the cell centres in Double, `[2, height, width]` (for measurements).
    public func centeredVelocity() -> [Double] { velocity.centered() }

    /// The discrete divergence per cell, `[height][width]`, of the current velocity.
    public func divergence() -> [Double] { velocity.divergence() }
}

extension SmokeScene {
    /// Runs the scene for `steps` steps and returns the velocity frames, `[steps, 2, height, width]`.
    ///
    /// - Parameter progress: called after each step with the number of steps done (for a progress bar).
    public func simulate(progress: ((Int) -> Void)? = nil) -> FieldSequence {
        var simulation = SmokeSimulation(self)
        var frames: [Float] = []
        frames.reserveCapacity(steps * 2 * width * height)
        for step in 1...steps {
            simulation.step()
            frames += simulation.velocityFrame()
            progress?(step)
        }
        return FieldSequence(frames: frames, count: steps, channels: 2, height: height, width: width)
    }
}
