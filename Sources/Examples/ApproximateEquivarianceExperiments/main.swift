import Foundation
import OrbitCommandLine
import OrbitExperiments

// Table 1 of Wang, Walters and Yu (ICML 2022) at a chosen scale: Conv, the strictly equivariant model and
// the relaxed model (or the Table 1 columns `--models` names) trained on one smoke-plume design, Future and
// Domain RMSE (20-step rollouts) as mean ± std over seeds, printed and written as a markdown table. Not run by CI.
// This file only parses the options (ExperimentCommand.swift) and exits: both experiments, their settings and
// their reports are OrbitExperiments' (SmokePlumeExperiment, EquivarianceLevelExperiment), for scripts too.
//
//     swift run -c release ApproximateEquivarianceExperiments --symmetry rotation --epochs 30 --hidden 32 --seeds 0,1,2
//     swift run -c release ApproximateEquivarianceExperiments --symmetry translation --plan small --epochs 1 --tasks 2 --seeds 0
//     swift run -c release ApproximateEquivarianceExperiments --symmetry rotation --models mlp,rpp,lift --seeds 0
//
// `--experiment levels` runs section 5.2 instead (OrbitExperiments' EquivarianceLevelExperiment): the learned
// equivariance error of Conv, the steerable model and RSteer against the data's, on the data sets --levels lists.
//
//     swift run -c release ApproximateEquivarianceExperiments --experiment levels --epochs 20 --hidden 16 --layers 3 --seeds 0
//
// Every model's checkpoint, best weights, metrics and curve go to its folder under --checkpoints; Ctrl-C saves
// the model in training and stops (status 130), and the same command with --resume continues.

let arguments = Arguments.parseOrExit(command: "ApproximateEquivarianceExperiments", summary: ExperimentCommand.summary,
                                      options: ExperimentCommand.options)

/// Ctrl-C stops training at the next step boundary after saving a checkpoint; a second Ctrl-C quits at once.
let interruption = Interruption.handlingControlC()

do {
    let command = try ExperimentCommand(arguments)
    guard try command.run(stop: { interruption.isRequested }) else {
        Console.line("stopped; checkpoints saved in \(command.settings.checkpoints); continue with --resume")
        exit(ExitStatus.interrupted)
    }
} catch {
    CommandFailure.exit(error, command: "ApproximateEquivarianceExperiments", arguments: arguments)   // usage errors: 2, failures: 1
}
