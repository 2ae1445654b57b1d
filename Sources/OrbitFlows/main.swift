import Foundation
import Orbit
import OrbitCommandLine
import OrbitExperiments
import OrbitModels
import OrbitTraining
#if ORBIT_MPI
import OrbitDistributed
#endif

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

#if ORBIT_MPI
// Built with ORBIT_MPI=1 and started by mpirun (or srun): the ranks train each model together, rank 0 alone
// printing and writing files (Docs/Distributed.md). Started alone, this is the one-process command.
let communicator: MPICommunicator?
do { communicator = MPICommunicator.isLaunchedByMPI ? try MPICommunicator() : nil } catch { CommandFailure.exit(error, command: command) }
communicator?.silenceStandardOutputUnlessRankZero()
@MainActor func finish(_ status: Int32) -> Never {
    communicator?.finish(status)
    exit(status)
}
@MainActor func fail(_ error: any Error) -> Never {
    guard let communicator else { CommandFailure.exit(error, command: command, arguments: arguments) }
    let failure = CommandFailure(error, command: command, arguments: arguments)
    FileHandle.standardError.write(Data("\(failure.message) (rank \(communicator.rank) of \(communicator.size))\n".utf8))
    communicator.finish(failure.status, endsEveryRank: MPICommunicator.isThrownOnEveryRank(error))
}
#else
let communicator: (any GradientCommunicator)? = nil
@MainActor func finish(_ status: Int32) -> Never { exit(status) }
@MainActor func fail(_ error: any Error) -> Never { CommandFailure.exit(error, command: command, arguments: arguments) }
#endif
let isRankZero = (communicator?.rank ?? 0) == 0

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
            let levels = try ImperfectFlowExperiment(experiment: paperExperiment, settings: settings)
            levels.communicator = communicator
            finished = try levels.run(resume: resume, stop: { interruption.isRequested })
        } else {
            let run = try PaperExperiment(experiment: paperExperiment, settings: settings)
            run.communicator = communicator
            finished = try run.run(resume: resume, stop: { interruption.isRequested })
            shippable = run
        }
        guard finished else {
            Console.line("stopped; checkpoints saved in \(settings.outputDirectory); continue with --resume")
            finish(130)
        }
        Console.line(String(format: "wall clock %.0f s", Date().timeIntervalSince(started)))
        if !publish.isEmpty, isRankZero, let run = shippable {
            let commit: String = try arguments.value("trained-commit")
            let shipped = try run.publish(publish, to: try TrainedModels.directory, commit: commit.isEmpty ? PaperExperiment.currentCommit() : commit) {
                PaperExperiment.reproducingCommand(Array(CommandLine.arguments.dropFirst()), seed: $0)
            }
            for manifest in shipped { Console.line("shipped \(manifest.name) (seed \(manifest.seed), sha256 \(manifest.sha256))") }
        }
        finish(0)
    }
    let experiment = try FlowExperiment(settings: settings, resume: arguments.flag("resume"), communicator: communicator)
    Console.line("\(command): \(settings.digits) digit(s), data velocities {-\(settings.dataVelocityRange)..\(settings.dataVelocityRange)}², "
                 + "\(settings.trainingSequences) training sequences per epoch, \(settings.epochs) epochs, "
                 + "\(Parallelism.threadCount) threads" + (communicator.map { " x \($0.size) ranks" } ?? "") + ", output \(settings.outputDirectory)")
    guard try experiment.train(stop: { interruption.isRequested }) else {
        Console.line("stopped; checkpoints saved in \(settings.outputDirectory); continue with --resume")
        finish(130)
    }
    if isRankZero {
        try experiment.report()
        try experiment.compareTrainedModels()   // the shipped models to step 70 (none yet: a note)
    }
    finish(0)
} catch {
    fail(error)   // usage errors: 2, failures: 1
}
