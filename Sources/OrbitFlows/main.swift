import Foundation
import Orbit
import OrbitCommandLine
import OrbitExperiments
import OrbitModels

// orbit-flows: `make run` trains a G-RNN and a FERNN on Translating MNIST and compares them;
// `--experiment translating|bouncing|rotating|between-generators` runs one of the experiments instead (PaperExperiment),
// `--experiment imperfect` one per flow-breaking level (ImperfectFlowExperiment);
// `--help` lists the options. This file only parses the options (FlowCommandLine.swift), prints and exits:
// the experiments, their settings and their reports are OrbitExperiments' (a script can run them the same way).

let command = "orbit-flows"
let arguments = Arguments.parseOrExit(command: command, summary: FlowSettings.summary,
                                      options: FlowSettings.options + PaperExperimentSettings.options)

/// Ctrl-C stops training at the next step boundary after saving a checkpoint; a second Ctrl-C quits at once.
let interruption = Interruption.handlingControlC()

do {
    let threads = try arguments.value("threads", in: 0...)
    if threads > 0 { Parallelism.threadCount = threads }
    let settings = try FlowSettings(arguments)
    let paperExperiment = try PaperExperimentSettings.parse(arguments)
    if arguments.flag("resume") {   // refuse rather than silently start over
        try MissingCheckpointError.requireAny(of: paperExperiment?.checkpoints(in: settings.outputURL) ?? settings.checkpoints)
    }
    if let paperExperiment {
        Console.line("\(command) --experiment \(paperExperiment.kind.rawValue): models \(paperExperiment.models.map(\.description)), "
                     + "seeds \(paperExperiment.seeds), \(settings.digits) digit(s), data velocity range \(settings.dataVelocityRange), "
                     + "\(settings.trainingSequences) training sequences per epoch, \(settings.epochs) epochs, \(Parallelism.threadCount) threads")
        let publish = try shippedModels(arguments, paperExperiment)   // checked before hours of training
        let started = Date()
        let resume = arguments.flag("resume")
        let finished: Bool
        var shippable: PaperExperiment?
        if paperExperiment.kind == .imperfect {   // one PaperExperiment per level, then the summary across levels
            finished = try ImperfectFlowExperiment(experiment: paperExperiment, settings: settings).run(resume: resume, stop: { interruption.isRequested })
        } else {
            let run = try PaperExperiment(experiment: paperExperiment, settings: settings)
            finished = try run.run(resume: resume, stop: { interruption.isRequested })
            shippable = run
        }
        guard finished else {
            Console.line("stopped; checkpoints saved in \(settings.outputDirectory); continue with --resume")
            exit(130)
        }
        Console.line(String(format: "wall clock %.0f s", Date().timeIntervalSince(started)))
        if !publish.isEmpty, let run = shippable {
            let commit: String = try arguments.value("trained-commit")
            let shipped = try run.publish(publish, to: try TrainedModels.directory, commit: commit.isEmpty ? currentCommit() : commit) {
                reproducingCommand(Array(CommandLine.arguments.dropFirst()), seed: $0)
            }
            for manifest in shipped { Console.line("shipped \(manifest.name) (seed \(manifest.seed), sha256 \(manifest.sha256))") }
        }
        exit(0)
    }
    let experiment = try FlowExperiment(settings: settings, resume: arguments.flag("resume"))
    Console.line("\(command): \(settings.digits) digit(s), data velocities {-\(settings.dataVelocityRange)..\(settings.dataVelocityRange)}², "
                 + "\(settings.trainingSequences) training sequences per epoch, \(settings.epochs) epochs, "
                 + "\(Parallelism.threadCount) threads, output \(settings.outputDirectory)")
    guard try experiment.train(stop: { interruption.isRequested }) else {
        Console.line("stopped; checkpoints saved in \(settings.outputDirectory); continue with --resume")
        exit(130)
    }
    try experiment.report()
    try experiment.compareTrainedModels()   // the shipped models to step 70 (none yet: a note)
} catch {
    CommandFailure.exit(error, command: command, arguments: arguments)   // usage errors: 2, failures: 1
}
