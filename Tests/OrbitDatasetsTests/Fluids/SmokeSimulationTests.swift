import Foundation
import Orbit
import Testing
@testable import OrbitDatasets

/// Small scenes so the suite runs in about a second: a 32 x 32 box with a radius-3 plume.
private func smallScene(steps: Int, force: Double = 0.05, noise: Double = 0, seed: UInt64 = 0) -> SmokeScene {
    SmokeScene(width: 32, height: 32, inflowCenter: FluidVector(16, 4), inflowRadius: 3,
               buoyancy: .uniform(FluidVector(0, force)), velocityTimeStep: 0.5, steps: steps,
               initialSmokeNoise: noise, seed: seed)
}

/// The 5-point Neumann Laplacian written out directly: an independent reference for the DCT solver.
private func neumannLaplacian(_ p: [Double], width: Int, height: Int) -> [Double] {
    var result = [Double](repeating: 0, count: p.count)
    for j in 0..<height {
        for i in 0..<width {
            let c = j * width + i
            var sum = 0.0
            if i > 0 { sum += p[c - 1] - p[c] }
            if i + 1 < width { sum += p[c + 1] - p[c] }
            if j > 0 { sum += p[c - width] - p[c] }
            if j + 1 < height { sum += p[c + width] - p[c] }
            result[c] = sum
        }
    }
    return result
}

@Suite("Fluids: smoke simulator")
struct SmokeSimulationTests {
    @Test func pressureSolveInvertsTheNeumannLaplacian() {
        // A zero-mean random right-hand side on a non-square grid; the Laplacian of the solution, computed
        // by the stencil above, must give it back. Rounding in the four 40-point dot products is ~1e-15.
        let (width, height) = (40, 24)
        var generator = RandomGenerator(seed: 11)
        var rhs = (0..<(width * height)).map { _ in generator.nextUnitDouble() - 0.5 }
        let mean = rhs.reduce(0, +) / Double(rhs.count)
        rhs = rhs.map { $0 - mean }
        let p = PressureSolver(width: width, height: height).pressure(for: rhs)
        let back = neumannLaplacian(p, width: width, height: height)
        let error = zip(back, rhs).map { abs($0 - $1) }.max()!
        #expect(error < 1e-12, "max |L p - d| = \(error)")
    }

    @Test func projectionLeavesNearZeroDivergence() {
        // 64 x 64, the paper's plume, 40 steps: before projection the divergence per cell reaches ~0.1-1;
        // after it, the residual is rounding of a direct solve, far below any discretisation error.
        var simulation = SmokeSimulation(SmokeScene(inflowCenter: FluidVector(32, 5), buoyancy: .uniform(FluidVector(0, 0.1)), steps: 40))
        var worstRatio = 0.0, worstAfter = 0.0
        for _ in 0..<40 {
            simulation.step()
            let (before, after) = simulation.lastDivergence
            worstAfter = max(worstAfter, after)
            if before > 0 { worstRatio = max(worstRatio, after / before) }
        }
        let measured = simulation.divergence().map(abs).max()!
        #expect(simulation.lastDivergence.beforeProjection > 1e-3, "the buoyancy must create divergence to remove")
        #expect(worstAfter < 1e-11 && measured < 1e-11, "max |div| after projection \(worstAfter), now \(measured)")
        #expect(worstRatio < 1e-10, "relative residual \(worstRatio)")
        // Walls stay closed.
        let v = simulation.velocity
        for j in 0..<v.height { #expect(v.u[j * (v.width + 1)] == 0 && v.u[j * (v.width + 1) + v.width] == 0) }
    }

    /// max |R(A) - B| / max |A| in Double, for A the run of `scene` and B the run of `other`, with R the
    /// quarter-turns of the grid and the vectors.
    private func rotationError(_ scene: SmokeScene, _ other: SmokeScene, quarterTurns: Int) -> Double {
        var a = SmokeSimulation(scene), b = SmokeSimulation(other)
        for _ in 0..<scene.steps { a.step(); b.step() }
        let rotated = FieldSequence.quarterTurned(a.centeredVelocity(), count: 1, channels: 2, size: scene.width,
                                                  turns: quarterTurns)
        let direct = b.centeredVelocity()
        return zip(rotated, direct).map { abs($0 - $1) }.max()! / direct.map(abs).max()!
    }

    @Test func quarterTurnOfTheSceneRotatesTheVelocity() {
        // Symmetry-breaking off: the rotated scene must give the rotated field. The MAC grid maps u-faces
        // onto v-faces under a quarter-turn and every stencil is symmetric, so the only differences are
        // the order of rounding in bilinear weights and in the solver's sums (Double). Measured: ~1e-15
        // relative after 40 steps here. The plume's instability amplifies them about tenfold every 13
        // steps (Docs/Fluids.md), so the bound is for short runs only.
        let scene = smallScene(steps: 40)
        for turns in 1...3 {
            let error = rotationError(scene, scene.rotated(quarterTurns: turns), quarterTurns: turns)
            #expect(error < 1e-12, "\(turns) quarter-turn(s): relative error \(error)")
        }
    }

    @Test func brokenSymmetryGivesALargeRotationError() {
        // Negative control: the rotated configuration pushes 10% harder (the paper's top configuration).
        let scene = smallScene(steps: 40)
        var stronger = scene.rotated(quarterTurns: 1)
        stronger.buoyancy = .uniform(FluidVector(-0.055, 0))
        let error = rotationError(scene, stronger, quarterTurns: 1)
        #expect(error > 1e-2, "relative error \(error) should be far above rounding")
    }

    @Test func simulationIsDeterministicFromTheSeed() {
        let first = smallScene(steps: 8, noise: 0.5, seed: 7).simulate()
        let again = smallScene(steps: 8, noise: 0.5, seed: 7).simulate()
        let other = smallScene(steps: 8, noise: 0.5, seed: 8).simulate()
        #expect(first == again)
        #expect(first != other)
        #expect(first.shape == [8, 2, 32, 32])
    }

    @Test func fieldRotationMovesCellsAndTurnsVectors() {
        // One vector (1, 0) in the bottom-left cell of a 3 x 3 grid: a counter-clockwise turn about the
        // centre takes the cell to the bottom-right and the vector to (0, 1).
        var values = [Float](repeating: 0, count: 2 * 9)
        values[0] = 1
        let field = FieldSequence(frames: values, count: 1, channels: 2, height: 3, width: 3)
        let turned = field.rotated(quarterTurns: 1)
        var expected = [Float](repeating: 0, count: 18)
        expected[9 + 2] = 1  // y-component, row 0, column 2
        #expect(turned.frames == expected)
        #expect(field.rotated(quarterTurns: 2).rotated(quarterTurns: 2) == field)
        #expect(turned.rotated(quarterTurns: -1) == field)
        var random = RandomGenerator(seed: 3)
        let noise = FieldSequence(frames: (0..<(2 * 2 * 5 * 5)).map { _ in Float(random.nextUnitDouble()) }, count: 2,
                                  channels: 2, height: 5, width: 5)
        #expect(noise.rotated(quarterTurns: 1).rotated(quarterTurns: 3) == noise)
    }

    @Test func sceneRotationMatchesTheRotationDesign() {
        // The rotation design's configurations are the bottom one turned about (32, 32).
        let bottom = SmokeScene(inflowCenter: FluidVector(32, 5), buoyancy: .uniform(FluidVector(0, 0.01)), steps: 2)
        #expect(bottom.rotated(quarterTurns: 1).inflowCenter == FluidVector(59, 32))
        #expect(bottom.rotated(quarterTurns: 1).buoyancy == .uniform(FluidVector(-0.01, 0)))
        #expect(bottom.rotated(quarterTurns: 2).inflowCenter == FluidVector(32, 59))
        #expect(bottom.rotated(quarterTurns: 3).inflowCenter == FluidVector(5, 32))
        #expect(bottom.rotated(quarterTurns: 3).buoyancy == .uniform(FluidVector(0.01, 0)))
    }

    @Test func misuseNamesTheOperation() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = SmokeScene(width: 2, height: 64, inflowCenter: FluidVector(1, 1), buoyancy: .uniform(FluidVector(0, 1)), steps: 1)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("Orbit.SmokeScene") && message.contains("2 x 64"), "\(message)")
    }
}
