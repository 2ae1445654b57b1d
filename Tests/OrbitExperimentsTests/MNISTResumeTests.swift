import Foundation
import Orbit
import OrbitTraining
import Testing
import OrbitExperiments

// A run stopped at a step boundary (as Ctrl-C does) and resumed from its checkpoint must compute
// exactly the steps of an uninterrupted run: same losses, same accuracy, same final weights.

private func smallOptions(output: String) -> MNISTSettings {
    var options = MNISTSettings()
    options.trainingExamples = 160
    options.testExamples = 100
    options.batchSize = 32
    options.epochs = 2
    options.outputDirectory = output
    return options
}

@Test func aResumedRunReproducesTheUninterruptedRun() throws {
    let (first, second) = (try temporaryDirectory("orbit-train"), try temporaryDirectory("orbit-train"))
    defer { for path in [first, second] { try? FileManager.default.removeItem(atPath: path) } }

    let straight = try MNISTRun(settings: smallOptions(output: first)).trainer
    #expect(try straight.run())

    // Stop after 7 steps: in the middle of the second epoch (5 steps per epoch).
    let interrupted = try MNISTRun(settings: smallOptions(output: second)).trainer
    var steps = 0
    interrupted.shouldStop = { steps += 1; return steps > 7 }
    #expect(try interrupted.run() == false)
    #expect(interrupted.position.epoch == 1 && interrupted.position.batch == 2)

    let resumed = try MNISTRun(settings: smallOptions(output: second)).trainer
    try resumed.resume()
    #expect(resumed.position == interrupted.position)
    #expect(try resumed.run())
    // Training loss, test loss and accuracy of every epoch, and the final weights, bit for bit.
    #expect(resumed.history.map(\.trainingLoss) == straight.history.map(\.trainingLoss))
    #expect(resumed.history.map(\.validation) == straight.history.map(\.validation))
    #expect(resumed.history.map(\.metrics) == straight.history.map(\.metrics))
    for ((name, a), (_, b)) in zip(resumed.model.stateDictionary, straight.model.stateDictionary) {
        #expect(a.doubles == b.doubles, "\(name) differs")
    }
    // One metrics line per finished epoch, whichever run finished it.
    let lines = try String(contentsOfFile: second + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2 && lines[0].contains("\"epoch\": 1") && lines[1].contains("\"epoch\": 2"))
}

@Test func resumingWithOtherSettingsIsRefused() throws {
    let directory = try temporaryDirectory("orbit-train")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var options = smallOptions(output: directory)
    options.epochs = 1
    #expect(try MNISTRun(settings: options).trainer.run())
    options.epochs = 3                // more epochs: allowed, training continues
    try MNISTRun(settings: options).trainer.resume()
    options.outputDirectory += "/"    // the same folder spelled differently: not a setting
    try MNISTRun(settings: options).trainer.resume()
    options.learningRate = 0.5        // a different recipe: refused, naming the setting
    #expect { try MNISTRun(settings: options).trainer.resume() } throws: { "\($0)".contains("learningRate was 0.001, now 0.5") }
}
