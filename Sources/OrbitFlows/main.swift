import Dispatch
import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitNN
import Synchronization

// orbit-flows: `make run` trains a G-RNN and a FERNN on Translating MNIST and compares them;
// `--experiment translating|bouncing|rotating` runs one of the paper's experiments instead (PaperExperiment);
// `--help` lists the options.

let command = "orbit-flows"
let arguments: Arguments
do {
    arguments = try Arguments(CommandLine.arguments.dropFirst(), options: FlowOptions.options + ExperimentOptions.options)
} catch ArgumentError.helpRequested {
    Console.line(Arguments.helpText(command: command, summary: FlowOptions.summary, options: FlowOptions.options + ExperimentOptions.options))
    exit(0)
} catch {
    FileHandle.standardError.write(Data("\(command): \(error)\nTry --help.\n".utf8))
    exit(2)
}

/// Ctrl-C stops training at the next step boundary after saving a checkpoint; a second Ctrl-C quits at once.
let interrupted = Atomic<Int>(0)
signal(SIGINT, SIG_IGN)
let interruptSource = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
interruptSource.setEventHandler {
    if interrupted.wrappingAdd(1, ordering: .relaxed).newValue > 1 { exit(130) }
    FileHandle.standardError.write(Data("\ninterrupted: saving a checkpoint at the next step (Ctrl-C again to quit now)\n".utf8))
}
interruptSource.resume()

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
            .run(resume: arguments.flag("resume"), stop: { interrupted.load(ordering: .relaxed) > 0 }) else {
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
    guard try experiment.train(stop: { interrupted.load(ordering: .relaxed) > 0 }) else {
        Console.line("stopped; checkpoints saved in \(options.outputDirectory); continue with --resume")
        exit(130)
    }
    try experiment.report()
} catch {
    FileHandle.standardError.write(Data("\(command): \(error)\n".utf8))
    exit(1)
}
