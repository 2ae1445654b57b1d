import Foundation
import Orbit
import Testing
import _OrbitTestSupport

// Softmax, log-softmax, log-sum-exp and the losses: composites whose gradients come from the
// primitives they are built of (STYLE T1/T2).

private let softmaxSpecs: [GradientSpec] = [
    GradientSpec("softmax axis 0", [[3, 4, 5]], [.uniform(-2, 2)]) { softmax($0[0], axis: 0) },
    GradientSpec("softmax axis 1", [[3, 4, 5]], [.uniform(-2, 2)]) { softmax($0[0], axis: 1) },
    GradientSpec("softmax axis -1", [[3, 4, 5]], [.uniform(-2, 2)]) { softmax($0[0]) },
    GradientSpec("softmax vector", [[7]], [.uniform(-2, 2)]) { softmax($0[0]) },
    GradientSpec("softmax large logits", [[2, 5]], [.uniform(200, 204)]) { softmax($0[0], axis: 1) },
    GradientSpec("logSoftmax axis 0", [[3, 4, 5]], [.uniform(-2, 2)]) { logSoftmax($0[0], axis: 0) },
    GradientSpec("logSoftmax axis 1", [[3, 4, 5]], [.uniform(-2, 2)]) { logSoftmax($0[0], axis: 1) },
    GradientSpec("logSoftmax axis -1", [[2, 9]], [.uniform(-2, 2)]) { logSoftmax($0[0]) },
    GradientSpec("logSoftmax large logits", [[2, 5]], [.uniform(-304, -300)]) { logSoftmax($0[0], axis: 1) },
    GradientSpec("logSumExp axis 0", [[3, 4, 5]], [.uniform(-2, 2)]) { logSumExp($0[0], axis: 0) },
    GradientSpec("logSumExp axis 1 keep", [[3, 4, 5]], [.uniform(-2, 2)]) { logSumExp($0[0], axis: 1, keepDimensions: true) },
    GradientSpec("logSumExp axis -1", [[3, 4, 5]], [.uniform(-2, 2)]) { logSumExp($0[0]) },
    GradientSpec("logSumExp size-1 axis", [[2, 1, 3]], [.uniform(-2, 2)]) { logSumExp($0[0], axis: 1) },
    GradientSpec("logSumExp large", [[4]], [.uniform(500, 503)]) { logSumExp($0[0]) },
]

@Test(arguments: softmaxSpecs)
func softmaxGradient(_ spec: GradientSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

private let labelsOfFour = int64Tensor([2, 0, 1, 2], [4])
/// Labels [N = 2, H = 2, W = 3] for logits [2, 3, 2, 3], every class present.
private let labelsOfImages = int64Tensor([0, 1, 2, 2, 1, 0, 1, 1, 0, 2, 2, 0], [2, 2, 3])

private let lossSpecs: [GradientSpec] = [
    GradientSpec("meanSquaredError mean", [[3, 4], [3, 4]]) { meanSquaredError($0[0], $0[1]) },
    GradientSpec("meanSquaredError sum", [[3, 4], [3, 4]]) { meanSquaredError($0[0], $0[1], reduction: .sum) },
    GradientSpec("meanSquaredError none", [[2, 3, 2], [2, 3, 2]]) { meanSquaredError($0[0], $0[1], reduction: .none) },
    GradientSpec("meanSquaredError rank 0", [[], []]) { meanSquaredError($0[0], $0[1]) },
    GradientSpec("crossEntropy [N, C] mean", [[4, 3]], [.uniform(-2, 2)]) { crossEntropy($0[0], labels: labelsOfFour) },
    GradientSpec("crossEntropy [N, C] sum", [[4, 3]], [.uniform(-2, 2)]) {
        crossEntropy($0[0], labels: labelsOfFour, reduction: .sum)
    },
    GradientSpec("crossEntropy [N, C] none", [[4, 3]], [.uniform(-2, 2)]) {
        crossEntropy($0[0], labels: labelsOfFour, reduction: .none)
    },
    GradientSpec("crossEntropy [N, C, H, W] mean", [[2, 3, 2, 3]], [.uniform(-2, 2)]) {
        crossEntropy($0[0], labels: labelsOfImages)
    },
    GradientSpec("crossEntropy [N, C, H, W] sum", [[2, 3, 2, 3]], [.uniform(-2, 2)]) {
        crossEntropy($0[0], labels: labelsOfImages, reduction: .sum)
    },
    GradientSpec("crossEntropy [N, C, H, W] none", [[2, 3, 2, 3]], [.uniform(-2, 2)]) {
        crossEntropy($0[0], labels: labelsOfImages, reduction: .none)
    },
]

@Test(arguments: lossSpecs)
func lossGradient(_ spec: GradientSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

/// Exact values: d/dlogits of mean cross-entropy is (softmax - onehot) / N, and of mean squared error
/// 2 (prediction - target) / count, computed here with plain Double arithmetic.
@Test func lossGradientsHaveTheirClosedForms() {
    let logits: [Double] = [0.5, -1, 2, 0, 0, 0, 3, 1, -2, -0.5, 0.25, 1.5]
    let labels: [Int] = [2, 0, 1, 2]
    let logitGradient = gradient(at: [float64Tensor(logits, [4, 3])]) { crossEntropy($0[0], labels: labelsOfFour) }[0]
    var expected: [Double] = []
    for row in 0..<4 {
        let values = Array(logits[(3 * row)..<(3 * row + 3)])
        let exponentials = values.map { Foundation.exp($0) }
        let total = exponentials.reduce(0, +)
        for column in 0..<3 { expected.append((exponentials[column] / total - (column == labels[row] ? 1 : 0)) / 4) }
    }
    // A handful of float64 roundings on each side (exp, sums, one division): ~1e-15, far below 1e-12.
    expectClose(logitGradient, float64Tensor(expected, [4, 3]), relativeTolerance: 1e-12)

    let prediction = float64Tensor([1, 2, 3, 4, 5, 6], [2, 3]), target = float64Tensor([0.5, 2, 4, 3, 5.5, 6], [2, 3])
    let squaredErrorGradient = gradient(at: [prediction]) { meanSquaredError($0[0], target) }[0]
    // Differences of small numbers, one product and one division by 6: at most a few ulps.
    expectClose(squaredErrorGradient, float64Tensor([1, 0, -2, 2, -1, 0].map { $0 / 6 }, [2, 3]), relativeTolerance: 1e-15)
}
