import Orbit
import Testing
import _OrbitTestSupport

// Reductions over one axis, several non-adjacent axes and all axes, keeping the reduced axes or not
// (STYLE T1/T2). max and min run on distinct values, so no window has a tie (ties: KinkGradientTests).

private let rank3: [Int] = [3, 4, 5]
private let rank4: [Int] = [2, 3, 4, 5]

/// Axis choices: each single axis (also negative), adjacent and non-adjacent pairs, all axes as a list
/// and as nil.
private let axisChoices: [(shape: [Int], axes: [Int]?)] = [
    (rank3, [0]), (rank3, [1]), (rank3, [-1]), (rank3, [0, 1]), (rank3, [0, 2]), (rank3, [0, 1, 2]), (rank3, nil),
    (rank4, [1, 3]), (rank4, [0, 2, 3]), (rank4, [0, 3]), ([7], nil), ([1, 5], [0]), ([], nil),
]

private struct Reduction: Sendable {
    let name: String
    let domain: InputDomain
    let apply: @Sendable (Tensor, [Int]?, Bool) -> Tensor
}

private let reductions: [Reduction] = [
    Reduction(name: "sum", domain: .uniform(-1, 1)) { $0.sum(axes: $1, keepDimensions: $2) },
    Reduction(name: "mean", domain: .uniform(-1, 1)) { $0.mean(axes: $1, keepDimensions: $2) },
    Reduction(name: "max", domain: .distinct) { $0.max(axes: $1, keepDimensions: $2) },
    Reduction(name: "min", domain: .distinct) { $0.min(axes: $1, keepDimensions: $2) },
    Reduction(name: "variance", domain: .uniform(-1, 1)) { $0.variance(axes: $1, keepDimensions: $2) },
]

private let reductionSpecs: [GradientSpec] = reductions.flatMap { reduction in
    axisChoices.flatMap { choice in
        [false, true].map { keep in
            let apply = reduction.apply
            let axes = choice.axes
            return GradientSpec("\(reduction.name) axes \(axes.map(\.description) ?? "all") keep \(keep)",
                                [choice.shape], [reduction.domain]) { apply($0[0], axes, keep) }
        }
    }
}

@Test(arguments: reductionSpecs)
func reductionGradient(_ spec: GradientSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

/// The single-axis overloads (`sum(axis:)`, `mean(axis:)`, `max(axis:)`, `min(axis:)`).
private let singleAxisSpecs: [GradientSpec] = [
    GradientSpec("sum axis 1", [rank3]) { $0[0].sum(axis: 1) },
    GradientSpec("mean axis -1 keep", [rank3]) { $0[0].mean(axis: -1, keepDimensions: true) },
    GradientSpec("max axis 0", [rank3], [.distinct]) { $0[0].max(axis: 0) },
    GradientSpec("min axis 2 keep", [rank3], [.distinct]) { $0[0].min(axis: 2, keepDimensions: true) },
    // A reduction feeding a broadcast op: the kept axis broadcasts back (the normalization pattern).
    GradientSpec("x - max keep", [rank3], [.distinct]) { $0[0] - $0[0].max(axis: 1, keepDimensions: true) },
    GradientSpec("standardize", [[3, 6]]) { inputs in
        let x = inputs[0]
        return (x - x.mean(axis: 1, keepDimensions: true)) / sqrt(x.variance(axes: [1], keepDimensions: true) + 1e-3)
    },
]

@Test(arguments: singleAxisSpecs)
func singleAxisReductionGradient(_ spec: GradientSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}
