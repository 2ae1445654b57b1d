import Foundation
import Orbit
import OrbitCommandLine
import OrbitExperiments

// orbit-train: `make mnist` trains the classic MNIST CNN; `--help` lists the options.

let command = "orbit-train"
let arguments = Arguments.parseOrExit(command: command, summary: MNISTSettings.summary, options: MNISTSettings.options)

/// Ctrl-C asks the trainer to stop at the next step boundary and save a checkpoint; a second Ctrl-C
/// quits at once.
let interruption = Interruption.handlingControlC()

do {
    let threads = try arguments.value("threads", in: 0...)
    if threads > 0 { Parallelism.threadCount = threads }
    let options = try MNISTSettings(arguments)
    let benchmarkSteps = try arguments.value("benchmark", in: 0...)
    let run = try MNISTRun(settings: options, writesFiles: benchmarkSteps == 0)
    if benchmarkSteps > 0 {
        try TrainingBenchmark.run(run, steps: benchmarkSteps)
        exit(0)
    }
    let trainer = run.trainer
    if arguments.flag("resume") {
        try trainer.resume()
        Console.line("resuming at epoch \(trainer.position.epoch + 1), step \(trainer.position.batch)")
    }
    trainer.shouldStop = { interruption.isRequested }
    Console.line("\(command): \(run.model.parameterCount) parameters, \(run.loader.batchCount) steps per epoch, "
          + "\(Parallelism.threadCount) threads, output \(options.outputDirectory)")
    if try trainer.run() {
        let accuracy = trainer.history.last?.metrics["test_accuracy"].map { String(format: "%.2f%%", 100 * $0) } ?? "n/a"
        Console.line("done: test accuracy \(accuracy); checkpoint \(options.checkpointURL.path), metrics \(options.metricsURL.path)")
    } else {
        Console.line("stopped at epoch \(trainer.position.epoch + 1), step \(trainer.position.batch); "
              + "checkpoint saved to \(options.checkpointURL.path); continue with --resume")
        exit(130)
    }
} catch {
    CommandFailure.exit(error, command: command, arguments: arguments)   // usage errors: 2, failures: 1
}
