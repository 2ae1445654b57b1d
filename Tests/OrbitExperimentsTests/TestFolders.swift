import Foundation
import OrbitExperiments

// What the experiment tests share: a fresh temporary folder, and FlowSettings at a tiny size.

/// A new empty folder under the temporary directory, `<prefix>-<UUID>` (the caller removes it).
func temporaryDirectory(_ prefix: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Hidden 2, no decoder layers, 2 + 2 frames predicted to 4, 4 training, 3 test and 3 validation sequences,
/// batch 2, `epochs` epochs, output in `output`.
func tinyFlowSettings(output: String, epochs: Int = 1) -> FlowSettings {
    var settings = FlowSettings()
    (settings.hiddenChannels, settings.decoderLayers) = (2, 0)
    (settings.inputFrames, settings.predictedFrames, settings.lengthFactor) = (2, 2, 2)
    (settings.trainingSequences, settings.testSequences, settings.validationSequences, settings.batchSize, settings.epochs) = (4, 3, 3, 2, epochs)
    settings.outputDirectory = output
    return settings
}
