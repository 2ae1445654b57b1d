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
    let threads = try arguments.value("threads", in: 0...)
    if threads > 0 { Parallelism.threadCount = threads }
    let options = try FlowOptions(arguments)
    let paperExperiment = try ExperimentOptions.parse(arguments)
    if arguments.flag("resume") {   // refuse rather than silently start over
        try MissingCheckpointError.requireAny(of: paperExperiment?.checkpoints(in: options.outputURL) ?? options.checkpoints)
    }
    if let paperExperiment {
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
    CommandFailure.exit(error, command: command, arguments: arguments)   // usage errors: 2, failures: 1
}
