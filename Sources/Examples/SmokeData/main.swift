import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets

// Simulates and caches the smoke-plume data sets of Wang, Walters and Yu (ICML 2022), with a progress
// bar, and measures the simulator (the figures in Docs/Fluids.md).
//
//     swift run -c release SmokeData --design translation      # or rotation, scaling, levels
//     swift run -c release SmokeData --design report            # timing, divergence residual, C4 error
//
// Sequences are cached under --cache (one safetensors file per task), so a second run only reads them.

/// What to simulate or measure.
enum Design: String, CaseIterable { case translation, rotation, scaling, levels, report }

let options = [
    Option("design", default: "report", help: "translation, rotation, scaling, levels or report"),
    Option("steps", default: "310", help: "simulated steps per task, >= 1 (the paper: 310)"),
    Option("symmetry-breaking", default: "1", help: "0 = symmetric ... 1 = the paper's design (a number in 0...1)"),
    Option("cache", default: ".build/fluids-cache", help: "directory of cached sequences"),
]
let arguments = Arguments.parseOrExit(command: "SmokeData", summary: "Smoke-plume data for approximately equivariant networks.",
                                      options: options)

/// Draws a ProgressBar from SmokePlumeData's callback. The bar is not thread-safe, but the data set calls
/// its callback under a lock, one call at a time.
final class BarAdapter: @unchecked Sendable {
    let label: String
    var bar: ProgressBar?
    init(_ label: String) { self.label = label }
    func update(_ done: Int, _ total: Int) {
        if bar == nil { bar = ProgressBar(label: label + " (simulation steps)", total: total) }
        bar?.update(completed: done, examples: done)
    }
}

/// A Double field `[2, n, n]` turned by `turns` quarter-turns, exactly: FieldSequence rotates Floats, so
/// the field is split into a Float head and a Float tail (together ~48 bits), each rotated exactly.
func rotated(_ values: [Double], size n: Int, turns: Int) -> [Double] {
    let head = values.map { Float($0) }
    let tail = zip(values, head).map { Float($0 - Double($1)) }
    let turn = { (part: [Float]) in FieldSequence(frames: part, count: 1, channels: 2, height: n, width: n).rotated(quarterTurns: turns).frames }
    return zip(turn(head), turn(tail)).map { Double($0) + Double($1) }
}

func seconds(_ start: Date) -> String { String(format: "%.2f s", Date().timeIntervalSince(start)) }

func report(steps: Int) {
    // One 64 x 64 plume (the translation design's x32_y5): time, and divergence before/after projection.
    let scene = SmokePlumeDesign.translation().testDomainTasks[1].scene
    var simulation = SmokeSimulation(scene)
    var worstBefore = 0.0, worstAfter = 0.0, worstRatio = 0.0
    let start = Date()
    for _ in 0..<steps {
        simulation.step()
        let (before, after) = simulation.lastDivergence
        (worstBefore, worstAfter) = (max(worstBefore, before), max(worstAfter, after))
        worstRatio = max(worstRatio, after / max(before, .leastNormalMagnitude))
    }
    Console.line("one 64x64 plume, \(steps) steps: \(seconds(start)); max |div| per cell before projection \(worstBefore), "
                 + "after \(worstAfter) (worst after/before ratio \(worstRatio))")

    // C4: the bottom plume against its rotations, symmetry-breaking off; relative max error in Double.
    let bottom = SmokeScene(inflowCenter: FluidVector(32, 5), buoyancy: .uniform(FluidVector(0, 0.01)), velocityTimeStep: 1, steps: steps)
    var runs = (0..<4).map { SmokeSimulation(bottom.rotated(quarterTurns: $0)) }
    for step in 1...steps {
        for index in runs.indices { runs[index].step() }
        guard step % 50 == 0 || step == steps else { continue }
        let reference = runs[0].centeredVelocity()
        let scale = reference.map(abs).max()!
        let errors = (1...3).map { turns in
            let error = zip(rotated(reference, size: 64, turns: turns), runs[turns].centeredVelocity()).map { abs($0 - $1) }.max()! / scale
            return String(format: "%.2e", error)
        }
        Console.line("C4, step \(step): max |R(A) - B| / max |A| in Double for 90, 180, 270 degrees: \(errors)")
    }
}

do {
    let design = try arguments.choice("design", as: Design.self)
    let steps = try arguments.value("steps", in: 1...)
    let breaking = try arguments.value("symmetry-breaking", in: 0.0...1.0)
    let cache = FluidCache(directory: URL(fileURLWithPath: try arguments.value("cache", as: String.self)))
    let start = Date()
    switch design {
    case .report:
        report(steps: steps)
    case .levels:
        let adapter = BarAdapter("levels")
        let data = try EquivarianceLevelData(cache: cache) { adapter.update($0, $1) }
        Console.line("10 levels simulated or read in \(seconds(start))")
        for level in data.levels {
            Console.line("level \(level): data equivariance error \(String(format: "%.4f", data.dataEquivarianceError(level: level)))")
        }
    case .translation, .rotation, .scaling:
        let full: SmokePlumeDesign = switch design {
        case .translation: .translation(symmetryBreaking: breaking)
        case .rotation: .rotation(symmetryBreaking: breaking)
        default: .scaling()
        }
        let chosen = full.truncated(toSteps: steps)
        let adapter = BarAdapter(design.rawValue)
        let data = try SmokePlumeData(chosen, cache: cache) { adapter.update($0, $1) }
        let all = data.trainSequences + data.testDomainSequences
        let largest = all.map(\.maximumMagnitude).max() ?? 0
        Console.line("\(design): \(all.count) sequences of \(all.first?.shape ?? []) in \(seconds(start)); max |velocity| \(largest)")
    }
} catch {
    CommandFailure.exit(error, command: "SmokeData", arguments: arguments)   // usage errors: 2, failures: 1
}
