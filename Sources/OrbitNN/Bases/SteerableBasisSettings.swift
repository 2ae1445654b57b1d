import Orbit

/// The radial and angular sampling of a steerable kernel basis: Gaussian rings of radius rᵢ and width
/// σᵢ, each carrying angular harmonics cos(mφ), sin(mφ) with |m| ≤ its maximum frequency.
///
/// `e2cnnDefaults(kernelSize:)` reproduces e2cnn's and escnn's `compute_basis_params` for dilation 1:
/// rings = linspace(0, (k-1)//2, ⌈k/2⌉); σ = 0.6 on every ring but the last (0.4), and 0.005 on the
/// ring at r = 0; maximum frequencies from `_manual_fco1(k//2)`: 0 at r = 0, otherwise
/// min(2r, 2 if r = k//2 else 2r - (r+1) mod 2). For k = 3: rings [0, 1], σ [0.005, 0.4], frequencies
/// [0, 2]; k = 5: [0, 1, 2], [0.005, 0.6, 0.4], [0, 2, 2]; k = 7: [0, 1, 2, 3], [0.005, 0.6, 0.6, 0.4],
/// [0, 2, 3, 2].
public struct SteerableBasisSettings: Sendable, Hashable {
    /// Ring radii, in pixels from the kernel centre.
    public let rings: [Double]
    /// Gaussian width of each ring.
    public let sigmas: [Double]
    /// The largest |m| of the harmonics on each ring.
    public let maximumFrequencies: [Int]

    public init(rings: [Double], sigmas: [Double], maximumFrequencies: [Int]) {
        requireArgument(!rings.isEmpty && rings.count == sigmas.count && rings.count == maximumFrequencies.count,
                        "SteerableBasisSettings",
                        "rings \(rings), sigmas \(sigmas) and maximum frequencies \(maximumFrequencies) must be equally long and not empty")
        requireArgument(rings.allSatisfy { $0 >= 0 } && sigmas.allSatisfy { $0 > 0 } && maximumFrequencies.allSatisfy { $0 >= 0 },
                        "SteerableBasisSettings", "rings and frequencies must be ≥ 0 and sigmas > 0")
        (self.rings, self.sigmas, self.maximumFrequencies) = (rings, sigmas, maximumFrequencies)
    }

    /// e2cnn's and escnn's defaults for a k×k kernel (dilation 1); see the type's documentation.
    public static func e2cnnDefaults(kernelSize: Int) -> SteerableBasisSettings {
        requireArgument(kernelSize >= 1, "SteerableBasisSettings", "kernel size must be positive, got \(kernelSize)")
        let count = (kernelSize + 1) / 2
        let last = Double((kernelSize - 1) / 2)
        // torch.linspace(0, last, count) in float32, then tolist(): integers here, so exact.
        let rings = (0..<count).map { count == 1 ? 0 : last * Double($0) / Double(count - 1) }
        var sigmas = Array(repeating: 0.6, count: count - 1) + [0.4]
        for (index, ring) in rings.enumerated() where ring == 0 { sigmas[index] = 0.005 }
        let maximumRadius = Double(kernelSize / 2)
        let frequencies = rings.map { ring -> Int in
            if ring == 0 { return 0 }
            let bound = ring == maximumRadius ? 2 : 2 * ring - (ring + 1).truncatingRemainder(dividingBy: 2)
            // e2cnn compares |m| ≤ this (possibly fractional) bound; the largest integer below it is the same test.
            return Int(min(2 * ring, bound).rounded(.down))
        }
        return SteerableBasisSettings(rings: rings, sigmas: sigmas, maximumFrequencies: frequencies)
    }
}
