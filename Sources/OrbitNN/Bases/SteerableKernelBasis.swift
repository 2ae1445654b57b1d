import Foundation
import Orbit

/// One element of a steerable kernel basis: which irreducible pair, ring and harmonic it comes from.
public struct SteerableBasisElement: Sendable, Hashable {
    /// Index into the input representation's `irreducibleComponents`.
    public let inputComponent: Int
    /// Index into the output representation's `irreducibleComponents`.
    public let outputComponent: Int
    /// The ring's radius and width.
    public let radius: Double
    public let sigma: Double
    /// The angular frequency |m| of the element's harmonics.
    public let frequency: Int
    /// Which solution of the (pair, frequency) constraint this is.
    public let index: Int
}

/// A basis of the k×k kernels κ from fields of type ρ_in to fields of type ρ_out that satisfy the
/// steerability constraint κ(g·x) = ρ_out(g) κ(x) ρ_in(g)ᵀ (Weiler & Cesa 2019, e2cnn; escnn).
///
/// Built per pair of irreducible components (ψ_in, ψ_out) and per ring: the kernels
/// exp(-½(r - rᵢ)²/σᵢ²)·(A cos mφ + B sin mφ) with |m| up to the ring's maximum frequency are fixed by
/// the group exactly when (A, B) is a fixed vector of T_g κ = ψ_out(g)ᵀ κ(g·) ψ_in(g), found as a null
/// space (`HarmonicKernelSpace`). Each solution is sampled on the grid (x, y) = (column - c, c - row)
/// (only m = 0 is non-zero at the centre), normalised and pruned as e2cnn does (Σ b² / dim ψ_out = 1;
/// elements with Σ b² ≤ 1e-2 after that are dropped), and lifted to ρ_in, ρ_out through their
/// changes of basis: Q_out · b · Q_inᵀ.
///
/// `tensor`: float64 [count, dimOut, dimIn, k, k]. Elements are ordered by input component, then
/// output component, ring, frequency, solution. Bases are cached per (group, ρ_in, ρ_out, k, settings).
public struct SteerableKernelBasis<G: PlanarGroup>: Sendable {
    public let group: G
    public let inputRepresentation: Representation<G>
    public let outputRepresentation: Representation<G>
    public let kernelSize: Int
    public let settings: SteerableBasisSettings
    /// What each basis element is, in the order of `tensor`'s first axis.
    public let elements: [SteerableBasisElement]
    /// float64 [count, dimOut, dimIn, k, k].
    public let tensor: Tensor
    private let tensor32: Tensor

    /// The number of basis elements (learnable coefficients per pair of fields).
    public var count: Int { elements.count }

    /// The basis for `kernelSize`×`kernelSize` kernels from ρ_in to ρ_out, with e2cnn's default rings,
    /// widths and frequency cutoffs unless `settings` are given. Computed once, then served from a cache.
    public init(group: G, input: Representation<G>, output: Representation<G>, kernelSize: Int,
                settings: SteerableBasisSettings? = nil) {
        requireArgument(kernelSize >= 1, "SteerableKernelBasis", "kernel size must be positive, got \(kernelSize)")
        let settings = settings ?? .e2cnnDefaults(kernelSize: kernelSize)
        let key = BasisCacheKey(group: group.name, input: input, output: output, kernelSize: kernelSize, settings: settings)
        if let cached = basisCache.withLock({ $0[key] }) as? SteerableKernelBasis<G> {
            self = cached
            return
        }
        self.init(computing: group, input: input, output: output, kernelSize: kernelSize, settings: settings)
        let built = self
        basisCache.withLock { $0[key] = built }
    }

    private init(computing group: G, input: Representation<G>, output: Representation<G>, kernelSize k: Int,
                 settings: SteerableBasisSettings) {
        (self.group, inputRepresentation, outputRepresentation, kernelSize, self.settings) = (group, input, output, k, settings)
        let grid = KernelGrid(size: k)
        let (dIn, dOut) = (input.dimension, output.dimension)
        let qIn = DenseMatrix(rows: dIn, columns: dIn, values: input.changeOfBasis)
        let qOut = DenseMatrix(rows: dOut, columns: dOut, values: output.changeOfBasis)
        let inOffsets = input.irreducibleComponents.reduce(into: [0]) { $0.append($0.last! + $1.dimension) }
        let outOffsets = output.irreducibleComponents.reduce(into: [0]) { $0.append($0.last! + $1.dimension) }
        var fixedSpaces: [HarmonicKey: DenseMatrix] = [:]
        var elements: [SteerableBasisElement] = []
        var values: [Double] = []
        for (j, psiIn) in input.irreducibleComponents.enumerated() {
            // Q_in's columns of this component, transposed: dim ψ_in × dIn.
            let qInBlock = qIn.columns(inOffsets[j]..<inOffsets[j + 1]).transposed
            for (i, psiOut) in output.irreducibleComponents.enumerated() {
                let qOutBlock = qOut.columns(outOffsets[i]..<outOffsets[i + 1])
                for ring in settings.rings.indices {
                    let (radius, sigma) = (settings.rings[ring], settings.sigmas[ring])
                    let profile = grid.radii.map { exp(-0.5 * ($0 - radius) * ($0 - radius) / (sigma * sigma)) }
                    for m in 0...settings.maximumFrequencies[ring] {
                        let harmonic = HarmonicKernelSpace(output: psiOut, input: psiIn, frequency: m)
                        let key = HarmonicKey(output: psiOut, input: psiIn, frequency: m)
                        let fixed = fixedSpaces[key] ?? harmonic.fixedSpace(rotationOrder: group.rotationOrder,
                                                                            containsReflection: group.containsReflection)
                        fixedSpaces[key] = fixed
                        for solution in 0..<fixed.columns {
                            let (a, b) = harmonic.matrices((0..<fixed.rows).map { fixed[$0, solution] })
                            guard let sampled = grid.sample(a: a, b: b, frequency: m, profile: profile,
                                                            outputDimension: psiOut.dimension) else { continue }
                            elements.append(SteerableBasisElement(inputComponent: j, outputComponent: i, radius: radius,
                                                                  sigma: sigma, frequency: m, index: solution))
                            values += lift(sampled, qOutBlock, qInBlock, points: k * k)
                        }
                    }
                }
            }
        }
        self.elements = elements
        tensor = Tensor(values, shape: [elements.count, dOut, dIn, k, k])
        tensor32 = tensor.converted(to: .float32)
    }

    /// The basis in `dtype` (float32 or float64), [count, dimOut, dimIn, k, k].
    public func tensor(dtype: DType) -> Tensor { dtype == .float32 ? tensor32 : tensor.converted(to: dtype) }

    /// The filter Σ_b w[o, i, b]·basis[b] for every pair of fields, laid out OIHW for `conv2d`:
    /// coefficients [outputFields, inputFields, count] -> [outputFields·dimOut, inputFields·dimIn, k, k],
    /// field o's channels at o·dimOut ..< (o+1)·dimOut. One matmul against the constant basis, then a
    /// permute; differentiable in the coefficients.
    public func expand(_ coefficients: Tensor) -> Tensor {
        requireArgument(coefficients.rank == 3 && coefficients.shape[2] == count, "SteerableKernelBasis.expand",
                        "coefficients must be [outputFields, inputFields, \(count)], got \(coefficients.shape)")
        let (o, i, k) = (coefficients.shape[0], coefficients.shape[1], kernelSize)
        let (dOut, dIn) = (outputRepresentation.dimension, inputRepresentation.dimension)
        guard count > 0 else { return Tensor.zeros([o * dOut, i * dIn, k, k], dtype: coefficients.dtype) }
        let basis = tensor(dtype: coefficients.dtype).reshaped([count, dOut * dIn * k * k])
        let filter = matmul(coefficients.reshaped([o * i, count]), basis)  // [O·I, dOut·dIn·k·k]
        return filter.reshaped([o, i, dOut, dIn, k, k]).permuted([0, 2, 1, 3, 4, 5]).reshaped([o * dOut, i * dIn, k, k])
    }
}

/// Q_out,block · b(x) · Q_in,blockᵀ at every grid point, flattened to [dOut, dIn, points].
private func lift(_ sampled: [DenseMatrix], _ qOutBlock: DenseMatrix, _ qInBlockTransposed: DenseMatrix, points: Int) -> [Double] {
    let (dOut, dIn) = (qOutBlock.rows, qInBlockTransposed.columns)
    var result = [Double](repeating: 0, count: dOut * dIn * points)
    for (point, b) in sampled.enumerated() {
        let full = qOutBlock * b * qInBlockTransposed
        for o in 0..<dOut { for i in 0..<dIn { result[(o * dIn + i) * points + point] = full[o, i] } }
    }
    return result
}

private struct HarmonicKey: Hashable {
    let output: IrreducibleRepresentation
    let input: IrreducibleRepresentation
    let frequency: Int
}

/// The k×k sampling grid in math coordinates: (x, y) = (column - c, c - row), c = (k-1)/2, row-major.
struct KernelGrid {
    let radii: [Double]
    /// Polar angles; nil at the centre, where the angle is undefined.
    let angles: [Double?]

    init(size k: Int) {
        let centre = Double(k - 1) / 2
        let points = (0..<(k * k)).map { (x: Double($0 % k) - centre, y: centre - Double($0 / k)) }
        radii = points.map { ($0.x * $0.x + $0.y * $0.y).squareRoot() }
        angles = points.map { $0.x == 0 && $0.y == 0 ? nil : atan2($0.y, $0.x) }
    }

    /// profile(r)·(A cos mφ + B sin mφ) at every point (0 at the centre unless m = 0), normalised as
    /// e2cnn's `normalize_basis`: divided by √(Σ b² / dim ψ_out) unless that is below 1e-6; nil when the
    /// result's Σ b² ≤ 1e-2 (the element vanishes on this grid and is pruned).
    func sample(a: DenseMatrix, b: DenseMatrix, frequency m: Int, profile: [Double], outputDimension: Int) -> [DenseMatrix]? {
        let sampled = zip(angles, profile).map { angle, weight -> DenseMatrix in
            guard let angle else { return m == 0 ? a.scaled(weight) : .zeros(a.rows, a.columns) }
            let phase = Double(m) * angle
            return (a.scaled(cos(phase)) + b.scaled(sin(phase))).scaled(weight)
        }
        let squared = sampled.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1 * $1 } }
        var norm = squared / Double(outputDimension)
        norm = norm < 1e-15 ? 0 : norm.squareRoot()
        if norm < 1e-6 { norm = 1 }
        let normalised = sampled.map { $0.scaled(1 / norm) }
        return squared / (norm * norm) > 1e-2 ? normalised : nil
    }
}

extension DenseMatrix {
    /// The given columns as a rows × range.count matrix.
    func columns(_ range: Range<Int>) -> DenseMatrix {
        var result = DenseMatrix.zeros(rows, range.count)
        for row in 0..<rows { for (index, column) in range.enumerated() { result[row, index] = self[row, column] } }
        return result
    }
}
