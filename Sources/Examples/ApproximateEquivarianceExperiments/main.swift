import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitModels
import OrbitNN

// Table 1 of Wang, Walters and Yu (ICML 2022) at a chosen scale: Conv, the strictly equivariant model and
// the relaxed model (or the Table 1 columns `--models` names) trained on one smoke-plume design, Future and
// Domain RMSE (20-step rollouts) as mean ± std over seeds, printed and written as a markdown table. Not run by CI.
//
//     swift run -c release ApproximateEquivarianceExperiments --symmetry rotation --epochs 30 --hidden 32 --seeds 0,1,2
//     swift run -c release ApproximateEquivarianceExperiments --symmetry translation --plan small --epochs 1 --tasks 2 --seeds 0
//     swift run -c release ApproximateEquivarianceExperiments --symmetry rotation --models mlp,rpp,lift --seeds 0
//
// `--experiment levels` runs section 5.2 instead (EquivarianceLevelExperiment.swift): the learned
// equivariance error of Conv, the steerable model and RSteer against the data's, on 10 data sets.
//
//     swift run -c release ApproximateEquivarianceExperiments --experiment levels --epochs 20 --hidden 16 --layers 3 --seeds 0

let arguments = Arguments.parseOrExit(command: "ApproximateEquivarianceExperiments", summary: ExperimentCommand.summary,
                                      options: ExperimentCommand.options)

/// The small plan: train starts 0..<20, validation 20..<25, test-future 25..<30, test-domain 0..<5.
let smallPlan = FluidSplitPlan(trainStarts: 0..<20, validationStarts: 20..<25, testFutureStarts: 25..<30, testDomainStarts: 0..<5)

func meanAndDeviation(_ values: [Double]) -> String {
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.count > 1 ? values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1) : 0
    return String(format: "%.4f ± %.4f", mean, variance.squareRoot())
}

do {
    let command = try ExperimentCommand(arguments)
    if command.experiment == .levels {
        try runLevelExperiment(command)
        exit(0)
    }
    let (symmetry, models, settings, training) = (command.symmetry, command.models, command.settings, command.training)
    let (plan, taskLimit, seeds) = (command.plan == .small ? smallPlan : FluidSplitPlan.paper, command.taskLimit, command.seeds)
    let (trainWindows, evaluationWindows) = (command.trainWindows, command.evaluationWindows)

    var design: SmokePlumeDesign = switch symmetry {
    case .translation: .translation()
    case .rotation: .rotation()
    case .scaling: .scaling()
    }
    if plan != .paper { design = design.truncated(toSteps: plan.requiredFrames + 1) }
    if taskLimit > 0 {
        design = SmokePlumeDesign(symmetry: symmetry, trainTasks: Array(design.trainTasks.prefix(taskLimit)),
                                  testDomainTasks: Array(design.testDomainTasks.prefix(taskLimit)))
    }
    let start = Date()
    let data = try SmokePlumeData(design, cache: FluidCache(directory: URL(fileURLWithPath: command.cache)))
    Console.line(String(format: "%@: %d + %d sequences ready in %.1f s", symmetry.rawValue, data.trainSequences.count,
                        data.testDomainSequences.count, Date().timeIntervalSince(start)))

    var results: [String: [Outcome]] = [:]
    var order: [String] = [], parameterCounts: [String: Int] = [:]
    for seed in seeds {
        for contender in contenders(models, for: symmetry, settings, seed: seed) {
            if results[contender.name] == nil { order.append(contender.name) }
            parameterCounts[contender.name] = contender.model.parameterCount
            let outcome = try train(contender, data: data, plan: plan, trainWindows: trainWindows, evaluationWindows: evaluationWindows,
                                    settings: training, seed: seed)
            Console.line(String(format: "%@ seed %d: future %.4f, domain %.4f (best epoch %d, %.1f s)", contender.name, seed,
                                outcome.future, outcome.domain, outcome.bestEpoch, outcome.seconds))
            results[contender.name, default: []].append(outcome)
        }
    }

    // The penalty settings of RPP and CLCNN, when they ran (the default models' line is as before).
    let penalties = (models.contains(.residualPathway) ? ", RPP prior \(settings.priorAlpha)" : "")
        + (models.contains(.locallyConnected) ? ", CLCNN hinge alpha \(settings.hingeAlpha) margin \(settings.hingeMargin)" : "")
    var lines = ["# Approximately equivariant networks: \(symmetry.rawValue) smoke plumes", "",
                 "Settings: epochs \(training.epochs), hidden \(settings.hidden), layers \(settings.layers), banks \(settings.bankCount), "
                     + "alpha \(settings.alpha)\(penalties), train windows \(trainWindows), eval windows \(evaluationWindows), plan \(plan == .paper ? "paper" : "small"), "
                     + "tasks \(data.trainSequences.count) + \(data.testDomainSequences.count), batch \(training.batchSize), lr \(training.learningRate), "
                     + "decay \(training.decay), seeds \(seeds.map(String.init).joined(separator: ",")). RMSE over 20 autoregressive steps, "
                     + "mean ± std over seeds.", "",
                 "| model | parameters | Future RMSE | Domain RMSE | seconds per run |", "|---|---|---|---|---|"]
    for name in order {
        let outcomes = results[name]!
        lines.append("| \(name) | \(parameterCounts[name]!) | \(meanAndDeviation(outcomes.map(\.future))) | "
                     + "\(meanAndDeviation(outcomes.map(\.domain))) | \(String(format: "%.1f", outcomes.map(\.seconds).reduce(0, +) / Double(outcomes.count))) |")
    }
    let table = lines.joined(separator: "\n") + "\n"
    Console.line(table)
    var output = command.output
    if output.isEmpty { output = "Docs/results/approximate-equivariance-\(symmetry.rawValue).md" }
    try FileManager.default.createDirectory(at: URL(fileURLWithPath: output).deletingLastPathComponent(), withIntermediateDirectories: true)
    try table.write(toFile: output, atomically: true, encoding: .utf8)
    Console.line(String(format: "wrote %@ (total %.1f s)", output, Date().timeIntervalSince(start)))
} catch {
    CommandFailure.exit(error, command: "ApproximateEquivarianceExperiments", arguments: arguments)   // usage errors: 2, failures: 1
}
