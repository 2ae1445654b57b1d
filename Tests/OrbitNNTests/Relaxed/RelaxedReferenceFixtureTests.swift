import Foundation
import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// The relaxed layers against the reference code's own PyTorch layers on fixed weights (issue 16):
// Fixtures/make_relaxed_fixtures.py builds `Relaxed_ConvNet` (RGroup for translations) and
// `Relaxed_Rot_SteerConvNet` (RSteer for C4, on e2cnn) from Rose-STL-Lab/Approximately-Equivariant-Nets
// in float64 and saves their parameters, an input, every layer's output and the regularizer values.
// Float64 throughout, so agreement is to rounding: 1e-12 relative.

private let fixtureURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../Fixtures/relaxed_reference.safetensors")

private func loadFixture() throws -> SafeTensorsFile {
    try SafeTensors.read(from: fixtureURL)
}

private func tensor(_ file: SafeTensorsFile, _ name: String) -> Tensor {
    guard let value = file[name] else { fatalError("fixture has no \(name)") }
    return value
}

// MARK: RGroup (translations)

/// Orbit's `RelaxedTranslationConvolution` with the reference layer n's parameters: the L convolutions'
/// weights [O, I, k, k] stacked to [L, O, I, k, k], their biases to [L, O]; the combination weights
/// [H, W, L] are the same array in both.
private func relaxedTranslationLayer(_ file: SafeTensorsFile, layer n: Int) -> RelaxedTranslationConvolution {
    let prefix = "rgroup.layers.\(n)."
    let weights = (0..<3).map { tensor(file, prefix + "convs.\($0).weight") }
    let biases = (0..<3).map { tensor(file, prefix + "convs.\($0).bias") }
    let combination = tensor(file, prefix + "combination_weights")
    var generator = RandomGenerator(seed: 0)
    let layer = RelaxedTranslationConvolution(inputChannels: weights[0].shape[1], outputChannels: weights[0].shape[0], kernelSize: 3,
                                              bankCount: 3, height: combination.shape[0], width: combination.shape[1], padding: 1,
                                              dtype: .float64, using: &generator)
    layer.weight.value = stack(weights, axis: 0)
    layer.bias!.value = stack(biases, axis: 0)
    layer.combinationWeights.value = combination
    return layer
}

@Test func relaxedTranslationLayersMatchTheReference() throws {
    let file = try loadFixture()
    var input = tensor(file, "rgroup.input")
    for n in 0..<3 {
        let layer = relaxedTranslationLayer(file, layer: n)
        let output = n < 2 ? relu(layer(input)) : layer(input)
        let expected = tensor(file, "rgroup.output.\(n)")
        expectClose(output, expected, relativeTolerance: 1e-12, "RGroup layer \(n)")
        input = expected
    }
}

@Test func relaxedTranslationNetworkAndRegularizerMatchTheReference() throws {
    let file = try loadFixture()
    var generator = RandomGenerator(seed: 0)
    let network = RelaxedTranslationVelocityNet(inputFrames: 2, height: 8, width: 8, hidden: 3, layerCount: 3, kernelSize: 3, bankCount: 3,
                                                dtype: .float64, using: &generator)
    for (n, layer) in network.layers.enumerated() {
        let reference = relaxedTranslationLayer(file, layer: n)
        layer.weight.value = reference.weight.value
        layer.bias!.value = reference.bias!.value
        layer.combinationWeights.value = reference.combinationWeights.value
    }
    expectClose(network(tensor(file, "rgroup.input")), tensor(file, "rgroup.output.2"), relativeTolerance: 1e-12, "RGroup network")
    // The reference's constraint is α·(mean|ΔH w| + mean|ΔW w|); its training loop adds MSELoss(constraint, 0),
    // the square: Orbit's `.referenceSquared` form.
    let alpha = tensor(file, "rgroup.alpha").item
    let squared = relaxedTranslationRegularizer(network.layers, alpha: alpha, form: .referenceSquared).item
    let expected = tensor(file, "rgroup.loss_term").item
    #expect(abs(squared - expected) <= 1e-12 * expected, "\(squared) vs reference \(expected)")
    #expect(abs(squared.squareRoot() - tensor(file, "rgroup.constraint").item) <= 1e-12 * tensor(file, "rgroup.constraint").item)
}

// MARK: RSteer (C4)

private let c4 = CyclicGroup(order: 4)

/// The field types of the reference's three layers: 2 irrep(1) -> 2 regular -> 2 regular -> 1 irrep(1).
private let fieldTypes = [FieldType(group: c4, c4.irreducibleRepresentation(frequency: 1), count: 2),
                          FieldType(group: c4, c4.regularRepresentation, count: 2),
                          FieldType(group: c4, c4.regularRepresentation, count: 2),
                          FieldType(group: c4, c4.irreducibleRepresentation(frequency: 1), count: 1)]

/// T with κ_ref[c] = Σ_b T[c, b]·κ_orbit[b]: e2cnn's sampled basis [B, dOut, dIn, k²] written in Orbit's
/// basis [B, dOut, dIn, k, k] by least squares (normal equations in Double). Both span the same space
/// (Docs/Equivariance.md §4) but choose different elements, so coefficients do not carry over one by one.
/// Returns T [B, B] and the largest residual relative to ‖κ_ref[c]‖.
private func basisChange(reference: Tensor, orbit: Tensor) -> (transform: [[Double]], residual: Double) {
    let count = orbit.shape[0], length = orbit.scalarCount / count
    precondition(reference.shape[0] == count && reference.scalarCount == count * length, "basis sizes differ")
    let (o, r) = (orbit.doubles, reference.doubles)
    let column = { (values: [Double], b: Int) in Array(values[(b * length)..<((b + 1) * length)]) }
    let dot = { (a: [Double], b: [Double]) in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    let gram = (0..<count).map { a in (0..<count).map { b in dot(column(o, a), column(o, b)) } }
    var transform: [[Double]] = [], residual = 0.0
    for c in 0..<count {
        let target = column(r, c)
        let t = solve(gram, (0..<count).map { dot(column(o, $0), target) })
        var fitted = [Double](repeating: 0, count: length)
        for b in 0..<count { for p in 0..<length { fitted[p] += t[b] * o[b * length + p] } }
        residual = max(residual, relativeError(fitted, target))
        transform.append(t)
    }
    return (transform, residual)
}

/// Gaussian elimination with partial pivoting.
private func solve(_ matrix: [[Double]], _ rhs: [Double]) -> [Double] {
    var a = matrix, b = rhs
    let n = b.count
    for k in 0..<n {
        let pivot = (k..<n).max { abs(a[$0][k]) < abs(a[$1][k]) }!
        (a[k], a[pivot], b[k], b[pivot]) = (a[pivot], a[k], b[pivot], b[k])
        for i in (k + 1)..<n {
            let factor = a[i][k] / a[k][k]
            for j in k..<n { a[i][j] -= factor * a[k][j] }
            b[i] -= factor * b[k]
        }
    }
    var x = [Double](repeating: 0, count: n)
    for i in stride(from: n - 1, through: 0, by: -1) {
        x[i] = (b[i] - ((i + 1)..<n).reduce(0) { $0 + a[i][$1] * x[$1] }) / a[i][i]
    }
    return x
}

/// Orbit's layer n without bias (the reference's bias is free per channel, which Orbit's layer does not
/// offer: it keeps the bias on trivial components so that constant coefficients stay equivariant), its
/// coefficients `coefficients` [O, I, B, k, k] flattened to Orbit's [O·I·B, k, k].
private func relaxedSteerableLayer(layer n: Int, coefficients: Tensor) -> RelaxedSteerableConvolution<CyclicGroup> {
    var generator = RandomGenerator(seed: 0)
    let layer = RelaxedSteerableConvolution(inputType: fieldTypes[n], outputType: fieldTypes[n + 1], kernelSize: 3, padding: 1, bias: false,
                                            dtype: .float64, using: &generator)
    layer.weight.value = coefficients.reshaped([-1, 3, 3])
    return layer
}

/// Orbit's basis for layer n (one block: the field types are homogeneous) and T from `basisChange`.
private func basisMap(_ file: SafeTensorsFile, layer n: Int) -> (basis: SteerableKernelBasis<CyclicGroup>, transform: [[Double]], residual: Double) {
    let basis = SteerableFilterExpansion(inputType: fieldTypes[n], outputType: fieldTypes[n + 1], kernelSize: 3).blocks[0].basis
    let (transform, residual) = basisChange(reference: tensor(file, "rsteer.layers.\(n).basis_kernels"), orbit: basis.tensor)
    return (basis, transform, residual)
}

/// The reference layer n's coefficients [O, B, I, k²] in Orbit's layout [O, I, B, k, k], either as they
/// are (`mapped: false`, for the regularizer's formula) or written in Orbit's basis (the same filter).
private func orbitCoefficients(_ file: SafeTensorsFile, layer n: Int, mapped: Bool) -> (Tensor, residual: Double) {
    let reference = tensor(file, "rsteer.layers.\(n).relaxed_weights")
    let (o, count, i) = (reference.shape[0], reference.shape[1], reference.shape[2])
    let reordered = reference.permuted([0, 2, 1, 3])  // [O, I, B_ref, k²]
    guard mapped else { return (reordered.reshaped([o, i, count, 3, 3]), 0) }
    let (_, transform, residual) = basisMap(file, layer: n)
    // w_orbit[o, i, b, x] = Σ_c w_ref[o, i, c, x]·T[c, b]: the same filter at every position x.
    let t = Tensor(transform.flatMap { $0 }, shape: [count, count], dtype: .float64)
    let mapped = matmul(reordered.permuted([0, 1, 3, 2]).reshaped([-1, count]), t)  // [O·I·k², B]
    return (mapped.reshaped([o, i, 9, count]).permuted([0, 1, 3, 2]).reshaped([o, i, count, 3, 3]), residual)
}

@Test func relaxedSteerableLayersMatchTheReference() throws {
    let file = try loadFixture()
    var input = tensor(file, "rsteer.input")
    for n in 0..<3 {
        let (coefficients, residual) = orbitCoefficients(file, layer: n, mapped: true)
        // e2cnn's sampled basis lies in the span of Orbit's, to rounding.
        #expect(residual < 1e-12, "layer \(n): e2cnn's basis is outside Orbit's span by \(residual)")
        let layer = relaxedSteerableLayer(layer: n, coefficients: coefficients)
        let convolved = layer(input) + tensor(file, "rsteer.layers.\(n).bias").reshaped([-1, 1, 1])
        let expected = tensor(file, "rsteer.output.\(n)")
        expectClose(n < 2 ? relu(convolved) : convolved, expected, relativeTolerance: 1e-12, "RSteer layer \(n)")
        input = expected
    }
}

@Test func relaxedSteerableRegularizerMatchesTheReference() throws {
    let file = try loadFixture()
    let alpha = tensor(file, "rsteer.alpha").item
    let layers = (0..<3).map { relaxedSteerableLayer(layer: $0, coefficients: orbitCoefficients(file, layer: $0, mapped: false).0) }
    // The reference's constraint α·Σ_layers mean|w[..., p+1] - w[..., p]| (row-major positions), squared by
    // the training loop's MSELoss: Orbit's `.referenceSquared` on the same coefficients.
    let squared = relaxedSteerableRegularizer(layers, alpha: alpha, form: .referenceSquared).item
    let expected = tensor(file, "rsteer.loss_term").item
    #expect(abs(squared - expected) <= 1e-12 * expected, "\(squared) vs reference \(expected)")
    #expect(abs(squared.squareRoot() - tensor(file, "rsteer.constraint").item) <= 1e-12 * tensor(file, "rsteer.constraint").item)
}

/// The cosines between the elements of a sampled basis [B, ...]: [B][B].
private func cosines(_ basis: Tensor) -> [[Double]] {
    let count = basis.shape[0], length = basis.scalarCount / count, values = basis.doubles
    let rows = (0..<count).map { Array(values[($0 * length)..<(($0 + 1) * length)]) }
    let dot = { (a: [Double], b: [Double]) in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    return rows.map { a in rows.map { b in dot(a, b) / (dot(a, a) * dot(b, b)).squareRoot() } }
}

/// A convention difference, not a bug: the steerable basis is fixed only up to a choice of elements inside
/// each (pair of irreducibles, ring, frequency) space. Orbit's elements equal e2cnn's up to order and sign
/// everywhere except in one 4-dimensional space (C4's irrep(1) -> irrep(1) on ring 1 at frequency 2,
/// 4 solutions where SO(2) has 2): there Orbit's elements are orthonormal, while e2cnn's
/// come in two pairs at cosine 0.490 (normalised one by one, not orthogonalised). Filters, so forward
/// outputs, are unaffected (above); the coefficients' geometry is not: the L1 regularizer, the random
/// initial filters, weight decay and the gradient metric differ in that block. On the fixture's filters,
/// Orbit's coefficients give the constraint α·Σ R̄ = 0.045042 against the reference's 0.045627 (1.3%
/// lower; squared as the reference's loss adds it, 0.0020288 against 0.0020818).
@Test func theSteerableCoefficientsDifferFromE2cnnInOneBlock() throws {
    let file = try loadFixture()
    // The irrep(1) components: regular = trivial ⊕ irrep(1) ⊕ sign, so component 1 of a regular field.
    for (n, (input, output)) in [(0, 1), (1, 1), (1, 0)].enumerated() {
        let (basis, transform, _) = basisMap(file, layer: n)
        let block = Set(basis.elements.indices.filter {
            let element = basis.elements[$0]
            return element.inputComponent == input && element.outputComponent == output && element.radius == 1 && element.frequency == 2
        })
        #expect(block.count == 4, "layer \(n): \(basis.elements)")
        // T is a signed permutation outside the block, and maps e2cnn's block onto Orbit's.
        var blockRows: [Int] = []
        for (c, row) in transform.enumerated() {
            let large = row.indices.filter { abs(row[$0]) > 1e-9 }
            if large.count == 1 && !block.contains(large[0]) {
                #expect(abs(abs(row[large[0]]) - 1) < 1e-12, "layer \(n): row \(c) \(row)")
            } else {
                #expect(Set(large).isSubset(of: block), "layer \(n): element \(c) of e2cnn's basis mixes Orbit's \(large)")
                blockRows.append(c)
            }
        }
        #expect(blockRows.count == 4)
        let orbitCosines = cosines(basis.tensor), referenceCosines = cosines(tensor(file, "rsteer.layers.\(n).basis_kernels"))
        for a in block { for b in block where a != b { #expect(abs(orbitCosines[a][b]) < 1e-12) } }
        let offDiagonal = blockRows.flatMap { a in blockRows.filter { $0 != a }.map { abs(referenceCosines[a][$0]) } }.sorted()
        #expect(offDiagonal.prefix(8).allSatisfy { $0 < 1e-12 } && offDiagonal.suffix(4).allSatisfy { abs($0 - 0.4900797) < 1e-6 },
                "layer \(n): \(offDiagonal)")
    }
    let alpha = tensor(file, "rsteer.alpha").item
    let layers = { (mapped: Bool) in (0..<3).map { relaxedSteerableLayer(layer: $0, coefficients: orbitCoefficients(file, layer: $0, mapped: mapped).0) } }
    let orbit = relaxedSteerableRegularizer(layers(true), alpha: alpha, form: .referenceSquared).item
    let reference = relaxedSteerableRegularizer(layers(false), alpha: alpha, form: .referenceSquared).item
    #expect(abs(orbit - 0.0020287579896) < 1e-12 && abs(reference - 0.0020817806283) < 1e-12, "\(orbit) vs \(reference)")
}
