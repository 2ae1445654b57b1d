import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitModels
import OrbitNN

// orbit-flows: `make run` trains a G-RNN and a FERNN on Translating MNIST and compares them;
// `--experiment translating|bouncing|rotating` runs one of the paper's experiments instead (PaperExperiment);
// `--help` lists the options.

let command = "orbit-flows"
let arguments = Arguments.parseOrExit(command: command, summary: FlowOptions.summary,
                                      options: FlowOptions.options + ExperimentOptions.options)

/// Ctrl-C stops training at the next step boundary after saving a checkpoint; a second Ctrl-C quits at once.
let interruption = Interruption.handlingControlC()

do {
    let threads: Int = try arguments.value("threads")
    if threads > 0 { Parallelism.threadCount = threads }
    let options = try FlowOptions(arguments)
    if let paperExperiment = try ExperimentOptions.parse(arguments) {
        Console.line("\(command) --experiment \(paperExperiment.kind.rawValue): models \(paperExperiment.models.map(\.description)), "
                     + "seeds \(paperExperiment.seeds), \(options.digits) digit(s), data velocity range \(options.dataVelocityRange), "
                     + "\(options.trainingSequences) training sequences per epoch, \(options.epochs) epochs, \(Parallelism.threadCount) threads")
        let started = Date()
        guard try PaperExperiment(experiment: paperExperiment, options: options)
            .run(resume: arguments.flag("resume"), stop: { interruption.isRequested }) else {
            Console.line("stopped; checkpoints saved in \(options.outputDirectory); continue with --resume")
            exit(130)
        }
        Console.line(String(format: "wall clock %.0f s", Date().timeIntervalSince(started)))
        exit(0)
    }
    let experiment = try FlowExperiment(options: options, resume: arguments.flag("resume"))
    Console.line("\(command): \(options.digits) digit(s), data velocities {-\(options.dataVelocityRange)..\(options.dataVelocityRange)}², "
                 + "\(options.trainingSequences) training sequences per epoch, \(options.epochs) epochs, "
                 + "\(Parallelism.threadCount) threads, output \(options.outputDirectory)")
    guard try experiment.train(stop: { interruption.isRequested }) else {
        Console.line("stopped; checkpoints saved in \(options.outputDirectory); continue with --resume")
        exit(130)
    }
    try experiment.report()
} catch {
    FileHandle.standardError.write(Data("\(command): \(error)\n".utf8))
    exit(1)
}
