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

let options = [
    Option("experiment", default: "table", help: "table (Table 1 on one design) or levels (section 5.2: model vs data equivariance error)"),
    Option("symmetry", default: "rotation", help: "translation, rotation or scaling"),
    Option("epochs", default: "30", help: "training epochs (the reference: up to 1000 with early stopping)"),
    Option("hidden", default: "32", help: "Conv channels; steerable models use hidden/4 regular C4 fields"),
    Option("layers", default: "5", help: "layers per model"),
    Option("banks", default: "2", help: "L, filter banks of the relaxed group models"),
    Option("models", default: "default", help: "comma-separated Table 1 columns (MLP, Conv, Equiv, RPP, Combo, CLCNN, Lift, "
           + "RGroup, RSteer; those the symmetry has), all, or default (Conv, Equiv and RSteer; translation: Conv and RGroup)"),
    Option("alpha", default: "1e-5", help: "soft-equivariance regularizer weight of RGroup and RSteer (paper form, linear in alpha)"),
    Option("rpp-prior", default: "1e-2", help: "RPP: weight of the prior sum of squares on the plain pathway"),
    Option("hinge-alpha", default: "1", help: "CLCNN: weight of the hinge equivariance penalty"),
    Option("hinge-margin", default: "1e-2", help: "CLCNN: mean squared equivariance error the hinge penalty tolerates"),
    Option("train-windows", default: "1000", help: "training windows used per epoch (spread over all tasks and starts)"),
    Option("eval-windows", default: "200", help: "windows per validation and test split"),
    Option("seeds", default: "0,1,2", help: "comma-separated seeds"),
    Option("batch", default: "8", help: "batch size"),
    Option("lr", default: "1e-3", help: "learning rate"),
    Option("decay", default: "0.95", help: "StepLR factor per epoch"),
    Option("early-stop-after", default: "100", help: "epochs before the reference's early-stopping rule applies"),
    Option("plan", default: "paper", help: "paper (310 frames) or small (62 frames, few starts: for smoke tests)"),
    Option("tasks", default: "0", help: "use only the first n training and n test-domain tasks (0 = all)"),
    Option("cache", default: ".build/fluids-cache", help: "directory of cached simulations"),
    Option("output", default: "", help: "markdown file to write (default Docs/results/approximate-equivariance-<symmetry>.md; "
           + "levels: the path without extension, default Docs/results/approximate-equivariance-levels)"),
    Option("levels", default: "10", help: "levels: the data sets 0..<n of growing equivariance error"),
    Option("pool", default: "1", help: "levels: average the 64 x 64 fields over n x n blocks (2: 32 x 32)"),
    Option("rsteer-init", default: "equivariant", help: "levels: RSteer starts equivariant or, as the reference, random"),
]
let arguments = Arguments.parseOrExit(command: "ApproximateEquivarianceExperiments",
                                      summary: "Relaxed vs. Conv vs. strictly equivariant models on smoke plumes.", options: options)

/// The small plan: train starts 0..<20, validation 20..<25, test-future 25..<30, test-domain 0..<5.
let smallPlan = FluidSplitPlan(trainStarts: 0..<20, validationStarts: 20..<25, testFutureStarts: 25..<30, testDomainStarts: 0..<5)

func meanAndDeviation(_ values: [Double]) -> String {
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.count > 1 ? values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1) : 0
    return String(format: "%.4f ± %.4f", mean, variance.squareRoot())
}

if (try? arguments.value("experiment", as: String.self)) == "levels" {
    do {
        try runLevelExperiment(arguments)
        exit(0)
    } catch {
        Console.line("error: \(error)")
        exit(1)
    }
}

do {
    guard let symmetry = SmokePlumeDesign.Symmetry(rawValue: try arguments.value("symmetry")) else {
        Console.line("unknown symmetry; see --help")
        exit(2)
    }
    let models: [TableModel]
    do { models = try TableModel.parse(try arguments.value("models"), for: symmetry) } catch {
        Console.line("error: \(error)")
        exit(2)
    }
    let plan = try arguments.value("plan", as: String.self) == "small" ? smallPlan : FluidSplitPlan.paper
    let taskLimit = try arguments.value("tasks", as: Int.self)
    let seeds = try arguments.value("seeds", as: String.self).split(separator: ",").compactMap { UInt64($0) }
    var settings = ModelSettings(hidden: try arguments.value("hidden"), layers: try arguments.value("layers"),
                                 bankCount: try arguments.value("banks"), alpha: try arguments.value("alpha"), size: 64)
    (settings.priorAlpha, settings.hingeAlpha, settings.hingeMargin) = (try arguments.value("rpp-prior"), try arguments.value("hinge-alpha"),
                                                                        try arguments.value("hinge-margin"))
    let training = TrainingSettings(epochs: try arguments.value("epochs"), batchSize: try arguments.value("batch"),
                                    learningRate: try arguments.value("lr"), decay: try arguments.value("decay"),
                                    earlyStopAfter: try arguments.value("early-stop-after"))
    let (trainWindows, evaluationWindows) = (try arguments.value("train-windows", as: Int.self), try arguments.value("eval-windows", as: Int.self))

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
    let data = try SmokePlumeData(design, cache: FluidCache(directory: URL(fileURLWithPath: try arguments.value("cache"))))
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
    var output = try arguments.value("output", as: String.self)
    if output.isEmpty { output = "Docs/results/approximate-equivariance-\(symmetry.rawValue).md" }
    try FileManager.default.createDirectory(at: URL(fileURLWithPath: output).deletingLastPathComponent(), withIntermediateDirectories: true)
    try table.write(toFile: output, atomically: true, encoding: .utf8)
    Console.line(String(format: "wrote %@ (total %.1f s)", output, Date().timeIntervalSince(start)))
} catch {
    Console.line("error: \(error)")
    exit(1)
}
