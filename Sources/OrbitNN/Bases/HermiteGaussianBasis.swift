import Foundation
import Orbit

/// The scale-steerable Hermite-Gaussian basis of SESN (Sosnovik et al. 2020), as the scale RSteer
/// model of Wang et al. 2022 builds it (`steerable_A` followed by `normalize_basis_by_min_scale`).
///
/// Function f = a·M + b (M = effectiveSize, a, b ∈ 0..<M) at scale s is the separable product
/// ψ(u, v) = G_s(u) He_b(u/s) · G_s(v) He_a(v/s), with G_s(t) = exp(-t²/(2s²))/s, He_n the
/// probabilists' Hermite polynomials (He₀ = 1, He₁ = t, He_(n+1) = t He_n - n He_(n-1)), u the row
/// offset and v the column offset from the centre (u first, as A's `basis_x` is the first axis). At
/// scale s the functions are sampled on an odd grid of size ⌊kernelSize·s/max(scales)⌋ rounded down to
/// even, plus one, with unit pixel spacing, then zero-padded to kernelSize×kernelSize. Every function is
/// finally divided by its norm at the first scale (the smallest when scales are listed ascending, as in A).
///
/// `tensor`: float64 [M², scales.count, kernelSize, kernelSize]; A's defaults (size 5, scales
/// [1, 1.5, 2, 2.5], effective size 7) give [49, 4, 5, 5]. A computes in float32; this is float64.
public struct HermiteGaussianBasis: Sendable {
    public let kernelSize: Int
    public let scales: [Double]
    public let effectiveSize: Int
    /// float64 [effectiveSize², scales.count, kernelSize, kernelSize].
    public let tensor: Tensor

    /// The number of basis functions, effectiveSize².
    public var functionCount: Int { effectiveSize * effectiveSize }

    public init(kernelSize: Int, scales: [Double], effectiveSize: Int) {
        requireArgument(kernelSize >= 1 && effectiveSize >= 1 && !scales.isEmpty && scales.allSatisfy { $0 > 0 },
                        "HermiteGaussianBasis",
                        "needs a positive kernel size (\(kernelSize)), effective size (\(effectiveSize)) and scales (\(scales))")
        (self.kernelSize, self.scales, self.effectiveSize) = (kernelSize, scales, effectiveSize)
        let largest = scales.max()!
        let orders = effectiveSize
        var values = [Double](repeating: 0, count: orders * orders * scales.count * kernelSize * kernelSize)
        for (scaleIndex, scale) in scales.enumerated() {
            let support = Int(Double(kernelSize) * scale / largest) / 2 * 2 + 1
            requireArgument(support <= kernelSize, "HermiteGaussianBasis",
                            "scale \(scale) needs a \(support)×\(support) grid, larger than the kernel \(kernelSize)")
            let padding = (kernelSize - support) / 2
            // One-dimensional factors G_s(t)·He_n(t/s) at t = -(support/2) ... support/2.
            let factors = (0..<orders).map { order in
                (0..<support).map { index -> Double in
                    let t = Double(index - support / 2)
                    return exp(-t * t / (2 * scale * scale)) / scale * hermite(order, t / scale)
                }
            }
            for function in 0..<(orders * orders) {
                let (rowOrder, columnOrder) = (function % orders, function / orders)
                for row in 0..<support {
                    for column in 0..<support {
                        let index = ((function * scales.count + scaleIndex) * kernelSize + row + padding) * kernelSize + column + padding
                        values[index] = factors[rowOrder][row] * factors[columnOrder][column]
                    }
                }
            }
        }
        // Normalise every function by its norm at the first scale.
        let plane = kernelSize * kernelSize
        for function in 0..<(orders * orders) {
            let first = function * scales.count * plane
            let norm = values[first..<(first + plane)].reduce(0) { $0 + $1 * $1 }.squareRoot()
            for index in first..<(first + scales.count * plane) { values[index] /= norm }
        }
        tensor = Tensor(values, shape: [orders * orders, scales.count, kernelSize, kernelSize])
    }
}

/// The probabilists' Hermite polynomial He_n(t) (NumPy `hermite_e`), by its three-term recurrence.
func hermite(_ n: Int, _ t: Double) -> Double {
    if n == 0 { return 1 }
    var (previous, current) = (1.0, t)
    for k in 1..<n { (previous, current) = (current, t * current - Double(k) * previous) }
    return current
}
