import Foundation
import Orbit
import Synchronization
import Testing
@testable import OrbitDatasets

/// Values recorded from `@Sendable` callbacks (a Mutex cannot be captured by an escaping closure itself).
private final class Recorder: Sendable {
    let values = Mutex<[Int]>([])
    func append(_ value: Int) { values.withLock { $0.append(value) } }
    var all: [Int] { values.withLock { $0 } }
}

private func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("orbit-fluids-\(UUID().uuidString)")
}

@Suite("Fluids: designs, windows and cache")
struct FluidDataTests {
    @Test func designsFollowTheReferenceTaskLists() {
        let translation = SmokePlumeDesign.translation()
        #expect(translation.trainTasks.count == 25 && translation.testDomainTasks.count == 10)
        #expect(Set((translation.trainTasks + translation.testDomainTasks).map(\.name)).count == 35)
        #expect(translation.trainTasks[0].scene.buoyancy.acceleration(atX: 40) == FluidVector(0, 0.2))
        #expect(translation.trainTasks[0].scene.buoyancy.acceleration(atX: 10) == FluidVector(0, 0.1))
        #expect(SmokePlumeDesign.translation(symmetryBreaking: 0).trainTasks[0].scene.buoyancy.acceleration(atX: 40) == FluidVector(0, 0.1))

        let rotation = SmokePlumeDesign.rotation()
        #expect(rotation.trainTasks.count == 25 && rotation.testDomainTasks.count == 10)
        let names = (rotation.trainTasks + rotation.testDomainTasks).map(\.name)
        #expect(!names.contains { $0.hasPrefix("k32_") })
        // k = 27 is configuration 2 (top), pushing down with 0.011 * 27 (simulated turned, or as the bottom
        // plume pushing up and turned afterwards).
        let top = SmokePlumeDesign.rotation(rotatesOutput: false).trainTasks[0]
        #expect(top.name == "k27_j2" && top.scene.inflowCenter == FluidVector(32, 59) && top.keptFrames == 1..<310)
        guard case .uniform(let force) = top.scene.buoyancy else { Issue.record("expected uniform buoyancy"); return }
        #expect(abs(force.y + 0.011 * 27) < 1e-15 && force.x == 0)
        let turnedLater = rotation.trainTasks[0]
        #expect(turnedLater.quarterTurns == 2 && turnedLater.scene == top.scene.rotated(quarterTurns: 2))
        // Without symmetry-breaking every task is a rotation of the bottom configuration.
        let symmetric = SmokePlumeDesign.rotation(symmetryBreaking: 0, rotatesOutput: false).trainTasks
        let bottom = symmetric.first { $0.name.hasSuffix("_j0") }!.scene
        for task in symmetric {
            let turns = Int(task.name.split(separator: "_j")[1])!
            #expect(task.scene == bottom.rotated(quarterTurns: turns), "\(task.name)")
        }
        #expect(Set(SmokePlumeDesign.rotation(symmetryBreaking: 0).trainTasks.map(\.scene)).count == 1)

        let scaling = SmokePlumeDesign.scaling()
        #expect(scaling.trainTasks.count == 28 && scaling.testDomainTasks.count == 10)
        let largest = (scaling.trainTasks + scaling.testDomainTasks).map(\.scene.width).max()
        #expect(largest == 300 && scaling.trainTasks.allSatisfy { $0.outputSize == 64 })
    }

    @Test func windowsCutInputsAndTargetsAtTheReferenceOffsets() {
        // Frame t of sequence q holds the constant 100 q + t, so every value tells where it came from.
        let (t, n) = (30, 4)
        let sequences = (0..<2).map { q in
            FieldSequence(frames: (0..<t).flatMap { frame in [Float](repeating: Float(100 * q + frame), count: 2 * n * n) },
                          count: t, channels: 2, height: n, width: n)
        }
        let windows = FluidWindows(sequences, starts: 3..<8, inputLength: 10, targetLength: 6)
        #expect(windows.count == 10)
        let window = windows[6]  // sequence 1, start 4: inputs frames 6..<16, targets 16..<22
        #expect(window.sequenceIndex == 1 && window.start == 4)
        #expect(window.input.count == 20 * n * n && window.target.count == 6 * 2 * n * n)
        #expect(window.input.first == 106 && window.input.last == 115)
        #expect(window.target.first == 116 && window.target.last == 121)
        let batch = FluidBatch(collating: windows[0..<3], from: windows)
        #expect(batch.inputs.shape == [3, 20, n, n] && batch.targets.shape == [3, 6, 2, n, n])
        #expect(FluidSplitPlan.paper.requiredFrames == 281)
        #expect(FluidSplitPlan.paper.windows(for: .testFuture) == (200..<250, 20))
    }

    @Test func cacheRoundTripSimulatesOnlyOnce() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = FluidCache(directory: directory)
        let scene = SmokeScene(width: 16, height: 16, inflowCenter: FluidVector(8, 3), inflowRadius: 2,
                               buoyancy: .uniform(FluidVector(0, 0.1)), steps: 5)
        let task = SmokePlumeTask(name: "t", scene: scene, keptFrames: 1..<5)
        let calls = Recorder()
        let compute = { () -> FieldSequence in
            calls.append(1)
            return task.simulate()
        }
        let first = try cache.sequence(for: task.description, compute: compute)
        let second = try cache.sequence(for: task.description, compute: compute)
        #expect(calls.all.count == 1)
        #expect(first == second && first.shape == [4, 2, 16, 16])
        #expect(FileManager.default.fileExists(atPath: cache.url(for: task.description).path))
        // Another configuration is not served from this file.
        var other = scene
        other.seed = 1
        #expect(try cache.cachedSequence(for: SmokePlumeTask(name: "t", scene: other, keptFrames: 1..<5).description) == nil)
        // The data set loader reads the same file and reports progress up to the total.
        let reported = Recorder()
        let data = try SmokePlumeData(SmokePlumeDesign(symmetry: .translation, trainTasks: [task], testDomainTasks: []),
                                      cache: cache) { done, total in reported.append(done * 100 + total) }
        #expect(data.trainSequences == [first] && calls.all.count == 1)
        #expect(reported.all == [505])
    }

    @Test func equivarianceLevelZeroIsExactlySymmetricAndErrorGrows() throws {
        // Short runs (12 steps, all kept) of levels 0, 1, 2: seven simulations of the 64 x 64 plume.
        let data = try EquivarianceLevelData(levels: [0, 1, 2], steps: 12, keptFrames: 0..<12)
        let level0 = data.sequences(level: 0)
        for k in 1..<4 { #expect(level0[k] == level0[0].rotated(quarterTurns: k)) }
        let errors = (0..<3).map { data.dataEquivarianceError(level: $0) }
        #expect(errors[0] == 0)
        #expect(errors[1] > 0 && errors[2] > errors[1], "\(errors)")
    }
}

@Suite("Fluids: heat plate")
struct HeatPlateTests {
    @Test func insulatedPlateConservesHeat() {
        let plate = HeatPlate(size: 24, diffusivity: 1, variation: 0.3, frames: 1, stepsPerFrame: 1, hotSpots: 3, seed: 5)
        var temperature = plate.initialTemperature()
        let total = temperature.reduce(0, +)
        for _ in 0..<300 { plate.step(&temperature) }
        // Each face's flux leaves one cell and enters another: only rounding changes the sum.
        #expect(abs(temperature.reduce(0, +) - total) / total < 1e-12)
        // ... while the heat does spread (the peak drops).
        #expect(temperature.max()! < plate.initialTemperature().max()! * 0.9)
    }

    @Test func constantCoefficientDecaysAFourierModeAnalytically() {
        // T = cos(pi k (x + 1/2) / n) is an eigenvector of the insulated 5-point Laplacian with eigenvalue
        // lambda = -4 sin^2(pi k / 2n): each explicit step multiplies it by exactly 1 + dt kappa lambda.
        // It also approximates the continuous mode, which decays as exp(-kappa (pi k / n)^2 t).
        let (n, k, kappa) = (32, 2, 0.7)
        let plate = HeatPlate(size: n, diffusivity: kappa, frames: 40, stepsPerFrame: 5, hotSpots: 0)
        let mode = (0..<(n * n)).map { cos(Double.pi * Double(k) * (Double($0 % n) + 0.5) / Double(n)) }
        let sequence = plate.simulate(from: mode)
        let steps = 40 * 5
        let s = sin(Double.pi * Double(k) / Double(2 * n))
        let discrete = pow(1 - 4 * plate.timeStep * kappa * s * s, Double(steps))
        let continuous = exp(-kappa * pow(Double.pi * Double(k) / Double(n), 2) * plate.timeStep * Double(steps))
        let last = Array(sequence.frames[(39 * n * n)..<(40 * n * n)])
        let measured = zip(last, mode).map { Double($0) * $1 }.reduce(0, +) / mode.map { $0 * $0 }.reduce(0, +)
        // Float storage of the frame limits the first comparison to ~1e-7.
        #expect(abs(measured - discrete) / discrete < 1e-6, "amplitude \(measured), discrete \(discrete)")
        // Spatial (-0.3% in the rate) and time-step (+0.4%) errors partly cancel: ~1e-3 expected here.
        #expect(abs(measured - continuous) / continuous < 2e-3, "amplitude \(measured), continuous \(continuous)")
        // The mode keeps its shape: nothing leaks into other modes.
        let residual = zip(last, mode).map { abs(Double($0) - measured * $1) }.max()!
        #expect(residual < 1e-6)
    }

    @Test func varyingCoefficientBreaksRotationSymmetry() {
        let uniform = HeatPlate(size: 16, frames: 5, stepsPerFrame: 4, hotSpots: 2, seed: 9)
        let varying = HeatPlate(size: 16, variation: 0.2, frames: 5, stepsPerFrame: 4, hotSpots: 2, seed: 9)
        let initial = uniform.initialTemperature()
        let turned = FieldSequence(frames: initial.map { Float($0) }, count: 1, channels: 1, height: 16, width: 16)
            .rotated(quarterTurns: 1).frames.map(Double.init)
        func error(_ plate: HeatPlate) -> Double {
            let a = plate.simulate(from: initial.map { Double(Float($0)) }).rotated(quarterTurns: 1)
            let b = plate.simulate(from: turned)
            return a.meanAbsoluteDifference(to: b)
        }
        #expect(error(uniform) < 1e-6)
        #expect(error(varying) > 1e-3)
    }
}
