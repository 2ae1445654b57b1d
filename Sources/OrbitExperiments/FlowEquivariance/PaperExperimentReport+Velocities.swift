import Foundation
import OrbitDatasets
import OrbitImages
import OrbitTraining

// The fixed-velocity parts of a `PaperExperimentReport`: translating's velocity-generalisation grid (tables
// and heat maps) and between-generators' MSE per data velocity (table and line plot).

extension PaperExperimentReport {
    func velocityGridMarkdown() -> [String] {
        let range = experiment.gridRange
        let side = 2 * range + 1
        var lines = ["", "## Velocity generalisation: MSE per fixed velocity (\(experiment.gridSequences) sequences each, mean over seeds)",
                     "", "Trained on velocities {-\(settings.dataVelocityRange)..\(settings.dataVelocityRange)}² (marked *); "
                        + "rows v.y, columns v.x (pixels per frame)."]
        for name in modelNames {
            let grid = meanOverSeeds(name, \.velocityGrid)
            let (seen, unseen) = seenAndUnseen(grid)
            let ratios = perSeed(name, \.velocityGrid).map { seenAndUnseen($0) }.map { $0.unseen / $0.seen }
            lines += ["", "**\(name)**: mean " + String(format: "%.3e", seen) + " on the training velocities, "
                        + (unseen.isNaN ? "" : String(format: "%.3e", unseen) + " outside them (unseen / seen "
                           + String(format: "%.2f", unseen / seen) + "; per seed "
                           + ratios.map { String(format: "%.2f", $0) }.joined(separator: ", ") + "), ")
                        + String(format: "max %.3e", grid.max() ?? .nan) + " (velocity-grid-\(name).png)", "",
                      "| v.y \\ v.x | " + (-range...range).map(String.init).joined(separator: " | ") + " |",
                      "|---|" + String(repeating: "---:|", count: side)]
            for (row, y) in (-range...range).enumerated() {
                let cells = (0..<side).map { column -> String in
                    let velocity = PixelVector(y: y, x: column - range)
                    return String(format: "%.2e", grid[row * side + column]) + (isTrained(velocity) ? "*" : "")
                }
                lines.append("| \(y) | " + cells.joined(separator: " | ") + " |")
            }
        }
        if let (low, high) = gridScale {
            lines += ["", String(format: "Heat maps: one logarithmic scale for all models, %.2e (dark purple) to %.2e (yellow).", low, high)]
        }
        return lines
    }

    private func isTrained(_ velocity: PixelVector) -> Bool {
        abs(velocity.x) <= settings.dataVelocityRange && abs(velocity.y) <= settings.dataVelocityRange
    }

    /// The mean MSE of `grid` (row-major over {-G..G}²) on the training velocities and on the others
    /// (NaN when every velocity of the grid was trained on).
    func seenAndUnseen(_ grid: [Double]) -> (seen: Double, unseen: Double) {
        let velocities = PixelVector.grid(range: experiment.gridRange)
        let seen = velocities.indices.filter { isTrained(velocities[$0]) }.map { grid[$0] }
        let unseen = velocities.indices.filter { !isTrained(velocities[$0]) }.map { grid[$0] }
        return (mean(seen), unseen.isEmpty ? .nan : mean(unseen))
    }

    private func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }

    /// The smallest and largest positive grid MSE over all models (the heat maps' shared scale).
    private var gridScale: (Double, Double)? {
        let values = modelNames.flatMap { meanOverSeeds($0, \.velocityGrid) }.filter { $0 > 0 && $0.isFinite }
        guard let low = values.min(), let high = values.max() else { return nil }
        return (low, high)
    }

    /// Between generators: for each model its mean over the data velocities (the rebuttal's figure) per
    /// seed, then mean ± std over seeds; and each velocity's MSE, mean ± std over seeds, marked * where the
    /// velocity is one of the model's flows.
    func velocityListMarkdown() -> [String] {
        let velocities = experiment.xVelocities
        var lines = ["", "## Between generators: MSE per data velocity (\(experiment.gridSequences) sequences each, mean ± std over seeds)",
                     "", "Data: x-velocities {" + velocities.map(String.init).joined(separator: ", ") + "} pixels per frame (y = 0), "
                        + "one fixed-velocity test set each; * marks a velocity in the model's V (`fernn-xK`: {-K..K}, `-stepS`: "
                        + "multiples of S). The average is over the \(velocities.count) velocities, per seed, then mean ± std over seeds. "
                        + "mse-per-velocity.png: log10 MSE (mean over seeds) against the velocity; "
                        + PaperExperimentReport.legend(modelNames) + ".", "",
                     "| model | \\|V\\| | average | " + velocities.map(String.init).joined(separator: " | ") + " |",
                     "|---|---|---|" + String(repeating: "---:|", count: velocities.count)]
        for name in modelNames {
            let flows = PaperExperimentSettings.Model(name)?.translationFlows
            let grids = perSeed(name, \.velocityGrid)
            let averages = grids.map { $0.reduce(0, +) / Double(max(1, $0.count)) }
            let cells = velocities.indices.map { index in
                Evaluate.formatted(grids.map { $0[index] }) + (flows?.index(of: [0, velocities[index]]) != nil ? "*" : "")
            }
            lines.append("| \(name) | \(perSeed(name, \.velocityCount)[0]) | \(Evaluate.formatted(averages)) | "
                         + cells.joined(separator: " | ") + " |")
        }
        return lines
    }

    /// mse-per-velocity.png (between generators): log10 of the mean-over-seeds MSE against the data velocity.
    func velocityPlot() -> LinePlot {
        let velocities = experiment.xVelocities.map(Double.init)
        let curves = modelNames.map { name in zip(velocities, meanOverSeeds(name, \.velocityGrid)).map { (x: $0, y: $1) } }
        return Self.logarithmicPlot(curves, xRange: (velocities.min() ?? 0) - 0.5...(velocities.max() ?? 0) + 0.5)
    }

    /// Writes the heat maps (translating) or the velocity plot (between generators); returns the files' names.
    func writeVelocityPictures() throws -> [String] {
        let directory = settings.outputURL
        switch experiment.kind {
        case .translating:
            guard experiment.gridRange > 0, let (low, high) = gridScale else { return [] }
            let side = 2 * experiment.gridRange + 1
            for name in modelNames {
                let grid = meanOverSeeds(name, \.velocityGrid)
                let map = HeatMap(values: (0..<side).map { Array(grid[($0 * side)..<(($0 + 1) * side)]) }, cellSize: 32,
                                  scale: .logarithmic, range: low...high)
                try map.image.writePNG(to: directory.appendingPathComponent("velocity-grid-\(name).png"))
            }
            return ["velocity-grid-*.png"]
        case .betweenGenerators:
            try velocityPlot().image.writePNG(to: directory.appendingPathComponent("mse-per-velocity.png"))
            return ["mse-per-velocity.png"]
        case .bouncing, .rotating, .imperfect:
            return []
        }
    }
}
