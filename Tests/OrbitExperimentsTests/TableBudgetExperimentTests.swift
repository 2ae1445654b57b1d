import Foundation
import OrbitExperiments
import OrbitModels
import Testing

// Table 1 against the training budget: each budget is the table experiment with its windows, width and epochs,
// in its own checkpoint folder; the summary reads the paper's ordering for the means and per seed.

@Test func budgetsParseAsWindowsByHiddenByEpochs() {
    #expect(TableBudgetExperiment.Budget("120x16x10") == TableBudgetExperiment.Budget(trainWindows: 120, hidden: 16, epochs: 10))
    #expect(TableBudgetExperiment.Budget("400x32x20")?.description == "400x32x20")
    for bad in ["120x16", "120x16x10x2", "0x16x10", "120x-1x10", "ax16x10", "", "120X16X10"] {
        #expect(TableBudgetExperiment.Budget(bad) == nil, "\(bad)")
    }
}

@Test func thePaperOrderingIsReadAmongTheModelsPresent() {
    let full: [TableModel: Double] = [.relaxedSteerable: 0.80, .relaxedGroup: 0.80, .equivariant: 1.05, .conv: 1.21]
    #expect(TableBudgetExperiment.ordering(full) == (true, "RSteer < RGroup < Equiv < Conv"))
    // RSteer may tie RGroup; every other neighbour must be strictly better.
    #expect(TableBudgetExperiment.ordering([.equivariant: 1.0, .conv: 1.0]) == (false, "Equiv >= Conv"))
    #expect(TableBudgetExperiment.ordering([.relaxedSteerable: 1.31, .equivariant: 0.9, .conv: 1.2]) == (false, "RSteer >= Equiv < Conv"))
    #expect(TableBudgetExperiment.ordering([.conv: 1.0, .mlp: 0.1]) == (true, "Conv"))
}

/// Two budgets of the small rotation plan (2 + 2 tasks, Conv and RSteer, seeds 0 and 1): each budget's models train
/// with its windows, width and epochs in `budget-<k>/`, and the summary has a row per budget and model.
@Test func eachBudgetRunsTheTableWithItsWindowsWidthAndEpochs() throws {
    let folder = try temporaryDirectory("orbit-budget")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var settings = ApproximateEquivarianceSettings(symmetry: .rotation)
    (settings.plan, settings.taskLimit, settings.seeds, settings.evaluationWindows) = (.small, 2, [0, 1], 4)
    settings.models = [.conv, .relaxedSteerable]
    settings.modelSettings = ModelSettings(hidden: 99, layers: 2, bankCount: 2, alpha: 1e-5, size: 64)
    settings.training = FluidTrainingSettings(epochs: 99, batchSize: 4, learningRate: 1e-2, decay: 0.95, earlyStopAfter: 100)
    (settings.cache, settings.output, settings.checkpoints) = (folder + "/cache", folder + "/budget", folder + "/checkpoints")
    let budgets = [TableBudgetExperiment.Budget(trainWindows: 4, hidden: 4, epochs: 1), TableBudgetExperiment.Budget(trainWindows: 8, hidden: 8, epochs: 2)]
    let experiment = TableBudgetExperiment(settings: settings, budgets: budgets)
    let results = try #require(try experiment.run())

    #expect(results.count == 2 && results.allSatisfy { $0.map(\.model) == ["Conv", "RSteer"] })
    #expect(results[1][0].parameters > results[0][0].parameters, "the second budget's Conv is wider")
    #expect(results[0][0].outcomes.allSatisfy { $0.bestEpoch == 1 })
    for budget in 1...2 {
        let metrics = "\(folder)/checkpoints/budget-\(budget)/table-rotation/seed-1/rsteer/metrics.jsonl"
        let epochs = try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n").count
        #expect(epochs == budget, "budget \(budget) trains \(budget) epoch(s)")
        #expect(FileManager.default.fileExists(atPath: "\(folder)/budget-budget-\(budget).md"))
    }
    let summary = try String(contentsOfFile: folder + "/budget.md", encoding: .utf8)
    #expect(summary.contains("| 1: 4x4x1 | Conv |") && summary.contains("| 2: 8x8x2 | RSteer |"), "\(summary)")
    #expect(summary.contains("| 1.21 / 1.10 |") && summary.contains("| 0.80 / 0.67 |"), "the paper's Table 1 beside ours")
    #expect(summary.contains(" of 2 |"))
    for plot in ["-future.png", "-domain.png"] { #expect(FileManager.default.fileExists(atPath: folder + "/budget" + plot)) }
    // Run again without --resume: the checkpoints are refused rather than overwritten.
    #expect(throws: ExistingCheckpointError.self) { try experiment.run() }
}
