import Foundation
import Orbit
import OrbitCommandLine
import OrbitModels
import OrbitNN
import OrbitTraining

extension PaperExperiment {
    /// Trains `model` for one seed (`settings.seed`, files in `settings.outputURL/<model>/`), evaluates it,
    /// records the result and returns its predictor ((input frames, steps) -> predictions); nil when stopped.
    /// The cell by `model.cell`: rotation FERNNs for the rotating experiment; otherwise the translation
    /// FERNN, the G-RNN+ (ReLU, as the FERNN here) or the relaxed FERNN, whose training loss adds
    /// `relaxedFlowRegularizer([cell], alpha: relaxedAlpha)`.
    func train(_ model: PaperExperimentSettings.Model, _ settings: FlowSettings, _ data: PaperExperimentData, resume: Bool,
               stop: @escaping () -> Bool) throws -> ((Tensor, Int) -> Tensor)? {
        let (hidden, flows) = (settings.hiddenChannels, model.translationFlows)
        switch (experiment.kind, model.cell) {
        case (.rotating, _):
            let order = experiment.groupOrder
            return try train(model, velocityCount: 2 * model.velocityRange + 1, settings, data, resume: resume, stop: stop) {
                RotationFlowEquivariantRNNCell(inputChannels: 1, hiddenFields: hidden, flows: .range(model.velocityRange, groupOrder: order),
                                               activation: model.activation, using: &$0)
            }
        case (_, .fernn):
            return try train(model, velocityCount: flows.count, settings, data, resume: resume, stop: stop) {
                let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: hidden, flows: flows, activation: model.activation,
                                                  velocityMixing: model.mixesVelocities ? 3 : 1, using: &$0)
                if settings.identityRecurrence { cell.setIdentityRecurrence() }
                return cell
            }
        case (_, .learnedShift):
            return try train(model, velocityCount: flows.count, settings, data, resume: resume, stop: stop) {
                LearnedShiftRNNCell(inputChannels: 1, hiddenChannels: hidden, flows: flows, activation: .relu, using: &$0)
            }
        case (_, .relaxed):
            let (banks, alpha) = (experiment.bankCount, experiment.relaxedAlpha)
            return try train(model, velocityCount: flows.count, settings, data, resume: resume, stop: stop,
                             penalty: { relaxedFlowRegularizer([$0], alpha: alpha) }) {
                RelaxedFlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: hidden, flows: flows, bankCount: banks, using: &$0)
            }
        }
    }

    /// The settings a checkpoint of `model` must have been made with, beyond `FlowSettings` (resuming with
    /// others is refused): the data of between-generators and imperfect, the relaxed model's L and α.
    /// None for the other experiments, whose checkpoints predate these.
    func recordedSettings(_ model: PaperExperimentSettings.Model) -> [String: String] {
        var recorded: [String: String] = [:]
        switch experiment.kind {
        case .betweenGenerators: recorded["xVelocities"] = experiment.xVelocities.map(String.init).joined(separator: ",")
        case .imperfect: recorded["breaking"] = experiment.breaking.description
        case .translating, .bouncing, .rotating: break
        }
        if model.cell == .relaxed { (recorded["bankCount"], recorded["relaxedAlpha"]) = ("\(experiment.bankCount)", "\(experiment.relaxedAlpha)") }
        return recorded
    }

    private func train<Cell: LiftedRecurrentCell>(_ model: PaperExperimentSettings.Model, velocityCount: Int, _ settings: FlowSettings,
                                                  _ data: PaperExperimentData, resume: Bool, stop: @escaping () -> Bool,
                                                  penalty: ((Cell) -> Tensor)? = nil,
                                                  makeCell: (inout RandomGenerator) -> Cell) throws -> ((Tensor, Int) -> Tensor)? {
        let name = model.description
        let trainer = try makeSequenceTrainer(name: name, settings: settings, training: data.training, validation: data.validation,
                                              recordedSettings: recordedSettings(model), penalty: penalty, communicator: communicator,
                                              makeCell: makeCell)
        try resumeIfPossible(trainer, resume: resume)
        trainer.shouldStop = stop
        Console.line("seed \(settings.seed), \(name): \(trainer.model.parameterCount) parameters, |V| = \(velocityCount)")
        guard try trainer.run() else { return nil }
        let evaluationStarted = Date()
        var result = PaperExperimentResult(parameters: trainer.model.parameterCount, velocityCount: velocityCount)
        result.testMSE = meanPredictionError(trainer.model, on: data.test, settings: settings)
        let long = FlowEvaluation.statisticsPerStep(trainer.model, on: data.longTest, inputFrames: settings.inputFrames,
                                                    steps: settings.lengthFactor * settings.predictedFrames)
        (result.lengthCurve, result.intensityCurve) = (long.meanSquaredError, long.intensityRatio)
        result.velocityGrid = data.velocityGrid.map { meanPredictionError(trainer.model, on: $0, settings: settings) }
        if experiment.kind == .imperfect, velocityCount > 1 {
            result.learnedEquivarianceError = learnedFlowEquivarianceError(of: trainer.model.cell, flows: model.translationFlows,
                                                                           frames: data.test.prefix(experiment.equivarianceSequences))
        }
        (result.trainingSeconds, result.evaluationSeconds) = (trainer.history.map(\.seconds).reduce(0, +),
                                                              Date().timeIntervalSince(evaluationStarted))
        result.trainingLosses = trainer.history.map(\.trainingLoss)
        result.bestValidation = trainer.history.compactMap(\.validation).min() ?? .nan
        Console.line(String(format: "seed %llu, %@: test MSE %.4e (trained %.0f s in all, evaluated %.0f s)", settings.seed, name,
                            result.testMSE, result.trainingSeconds, result.evaluationSeconds)
                     + (result.learnedEquivarianceError.map { String(format: ", learned flow-equivariance error %.3e", $0) } ?? ""))
        report.add(result, model: name, seed: settings.seed)
        return { trainer.model($0, predicting: $1) }
    }
}
