import Foundation
import Orbit
import Testing
@testable import OrbitTrain

// A run stopped at a step boundary (as Ctrl-C does) and resumed from its checkpoint must compute
// exactly the steps of an uninterrupted run: same losses, same accuracy, same final weights.

private func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-train-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func smallOptions(output: String) -> TrainingOptions {
    var options = TrainingOptions()
    options.trainingExamples = 160
    options.testExamples = 100
    options.batchSize = 32
    options.epochs = 2
    options.outputDirectory = output
    return options
}

@Test func aResumedRunReproducesTheUninterruptedRun() throws {
    let (first, second) = (try temporaryDirectory(), try temporaryDirectory())
    defer { for path in [first, second] { try? FileManager.default.removeItem(atPath: path) } }

    let straight = try Trainer(options: smallOptions(output: first), resume: false)
    #expect(try straight.run())

    // Stop after 7 steps: in the middle of the second epoch (5 steps per epoch).
    let interrupted = try Trainer(options: smallOptions(output: second), resume: false)
    var steps = 0
    interrupted.shouldStop = { steps += 1; return steps > 7 }
    #expect(try interrupted.run() == false)
    #expect(interrupted.position.epoch == 1 && interrupted.position.batch == 2)

    let resumed = try Trainer(options: smallOptions(output: second), resume: true)
    #expect(resumed.position == interrupted.position)
    #expect(try resumed.run())
    #expect(resumed.results.map(\.trainingLoss) == straight.results.map(\.trainingLoss))
    #expect(resumed.results.map(\.testLoss) == straight.results.map(\.testLoss))
    #expect(resumed.results.map(\.testAccuracy) == straight.results.map(\.testAccuracy))
    for ((name, a), (_, b)) in zip(resumed.model.stateDictionary, straight.model.stateDictionary) {
        #expect(a.doubles == b.doubles, "\(name) differs")
    }
    // Metrics were appended once per finished epoch, by the first run and by the resumed one.
    let lines = try String(contentsOfFile: second + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2 && lines[0].contains("\"epoch\": 1") && lines[1].contains("\"epoch\": 2"))
}

@Test func resumingWithOtherSettingsIsRefused() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var options = smallOptions(output: directory)
    options.epochs = 1
    #expect(try Trainer(options: options, resume: false).run())
    options.epochs = 3                // more epochs: allowed, training continues
    _ = try Trainer(options: options, resume: true)
    options.learningRate = 0.5        // a different recipe: refused with the saved settings in the message
    #expect(throws: TrainingError.self) { try Trainer(options: options, resume: true) }
}
