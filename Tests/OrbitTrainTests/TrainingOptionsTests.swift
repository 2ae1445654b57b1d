import Foundation
import OrbitCommandLine
import OrbitExperiments
import Testing
@testable import OrbitTrain

// Each bad option is reported alone, by name, with its accepted range (it once named three at once:
// "--epochs/batch-size/learning-rate expects positive values, got '-1/64/0.001'").

private func message(_ words: [String]) -> String {
    do {
        _ = try MNISTSettings(Arguments(words, options: MNISTSettings.options))
        return "accepted"
    } catch {
        return "\(error)"
    }
}

@Test(arguments: [
    (["--epochs", "-1"], "--epochs expects an integer >= 1, got '-1'"),
    (["--batch-size", "0"], "--batch-size expects an integer >= 1, got '0'"),
    (["--learning-rate", "inf"], "--learning-rate expects a finite number > 0, got 'inf'"),
    (["--learning-rate-decay", "0"], "--learning-rate-decay expects a finite number > 0, got '0'"),
    (["--seed", "-5"], "--seed expects a non-negative integer (0...18446744073709551615), got '-5'"),
    (["--training-examples", "-1"], "--training-examples expects an integer >= 0, got '-1'"),
    (["--test-examples", "x"], "--test-examples expects an integer >= 0, got 'x'"),
    (["--augment-shift", "-2"], "--augment-shift expects an integer >= 0, got '-2'"),
])
func eachBadTrainingOptionIsNamedAlone(words: [String], expected: String) {
    #expect(message(words) == expected)
}

@Test func theFullRecipeAndExplicitOptionsStillParse() throws {
    let options = try MNISTSettings(Arguments(["--full", "--epochs", "3", "--seed", "18446744073709551615"], options: MNISTSettings.options))
    #expect(options.epochs == 3 && options.augmentShift == 2 && options.learningRateDecay == 0.8 && options.seed == .max)
}
