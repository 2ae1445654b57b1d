import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// The training and evaluation protocol: the rollout loss against a hand computation for a linear model,
// the RMSE on known values, and best-epoch selection restoring a real copy of the best parameters.

@Test func rolloutLossEqualsTheHandComputationForALinearModel() {
    // One pixel, one channel, two input frames: f(x) = a·x₁ + b·x₀.
    let (a, b) = (0.5, -0.25)
    let weights = Parameter(Tensor([b, a], shape: [1, 2, 1, 1], dtype: .float64))
    let model = { (x: Tensor) in conv2d(x, weights.value) }
    let (x0, x1) = (1.0, 2.0)
    let targets = [0.7, 0.2, -0.1]
    var window = [x0, x1], expected = 0.0, predictions: [Double] = []
    for target in targets {
        let prediction = a * window[1] + b * window[0]
        predictions.append(prediction)
        expected += (prediction - target) * (prediction - target)
        window = [window[1], prediction]
    }
    let input = Tensor([x0, x1], shape: [1, 2, 1, 1], dtype: .float64)
    let targetTensor = Tensor(targets, shape: [1, 3, 1, 1, 1], dtype: .float64)
    #expect(autoregressiveRollout(model, input: input, steps: 3, channels: 1).doubles == predictions)
    #expect(abs(autoregressiveLoss(model, input: input, targets: targetTensor).item - expected) < 1e-15)
    let check = GradientCheck(parameters: [weights]) { autoregressiveLoss(model, input: input, targets: targetTensor) }
    #expect(check.passed, "\(check)")
    // Two channels per frame (u, v): the window slides by one frame, i.e. two channels.
    let rollout = autoregressiveRollout({ $0.slice(axis: 1, 0..<2) * 2 }, input: Tensor([1, 2, 3, 4], shape: [1, 4, 1, 1], dtype: .float64),
                                        steps: 3)
    #expect(rollout.shape == [1, 3, 2, 1, 1] && rollout.doubles == [2, 4, 6, 8, 4, 8])
}

@Test func rolloutRMSEIsTheRootOfTheMeanOverBatches() {
    var rmse = RolloutRMSE()
    #expect(rmse.value.isNaN)
    let zeros = Tensor.zeros([2, 3, 2, 2, 2], dtype: .float64)
    rmse.add(predictions: zeros + 1, targets: zeros)                             // batch MSE 1
    rmse.add(predictions: zeros.slice(axis: 0, 0..<1) - 3, targets: zeros.slice(axis: 0, 0..<1))  // batch MSE 9, one window
    #expect(rmse.batchCount == 2 && rmse.value == 5.0.squareRoot())
}
