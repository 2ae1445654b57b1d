import Foundation

/// The kernels between two irreps on one angular frequency m ≥ 0:
/// κ(φ) = A·cos(mφ) + B·sin(mφ) with A, B real dOut×dIn matrices, stored as the vector
/// [vec A, vec B] (B left out for m = 0, where sin vanishes).
///
/// The group acts on this space by (T_g κ)(x) = ψ_out(g)ᵀ κ(g·x) ψ_in(g); the equivariant kernels,
/// κ(g·x) = ψ_out(g) κ(x) ψ_in(g)ᵀ, are exactly its fixed vectors. Both the rotations and the
/// reflection x ↦ -x (φ ↦ π - φ) map each frequency |m| to itself, so the space of equivariant kernels
/// is the sum of these small fixed spaces over m.
struct HarmonicKernelSpace {
    let output: IrreducibleRepresentation
    let input: IrreducibleRepresentation
    let frequency: Int

    var blockSize: Int { output.dimension * input.dimension }
    var size: Int { (frequency == 0 ? 1 : 2) * blockSize }

    /// T_g as a size×size matrix, from its images of the unit vectors.
    func action(_ g: PlanarAction) -> DenseMatrix {
        let out = DenseMatrix(rows: output.dimension, columns: output.dimension, values: output.matrix(g))
        let inn = DenseMatrix(rows: input.dimension, columns: input.dimension, values: input.matrix(g))
        // g·x has polar angle ε·φ + α: ε = -1, α = θ + π for a reflection (φ ↦ π - φ, then rotate).
        let epsilon = g.reflected ? -1.0 : 1.0
        let alpha = Double(frequency) * (g.angle + (g.reflected ? Double.pi : 0))
        let (c, s) = (cos(alpha), sin(alpha))
        return linearMap { a, b in
            // cos(m(εφ + α)) = c·cos mφ - ε s·sin mφ;  sin(m(εφ + α)) = s·cos mφ + ε c·sin mφ.
            let movedA = a.scaled(c) + b.scaled(s)
            let movedB = (b.scaled(c) - a.scaled(s)).scaled(epsilon)
            return (out.transposed * movedA * inn, out.transposed * movedB * inn)
        }
    }

    /// The derivative of θ ↦ T_R(θ) at θ = 0, whose null space is the SO(2)-fixed space:
    /// d/dθ [ψ_out(θ)ᵀ κ_θ ψ_in(θ)] = -G_out X + Ẋ + X G_in, with (Ȧ, Ḃ) = (m B, -m A).
    var rotationGenerator: DenseMatrix {
        let gOut = DenseMatrix(rows: output.dimension, columns: output.dimension, values: output.rotationGenerator)
        let gIn = DenseMatrix(rows: input.dimension, columns: input.dimension, values: input.rotationGenerator)
        let m = Double(frequency)
        return linearMap { a, b in
            (b.scaled(m) - gOut * a + a * gIn, a.scaled(-m) - gOut * b + b * gIn)
        }
    }

    /// An orthonormal basis (columns) of the kernels fixed by every element of the group: the common
    /// null space of T_g - I for the generators (the rotation by 2π/N and the reflection for finite
    /// groups), and of the rotation generator for SO(2) and O(2) (a connected group fixes exactly
    /// the null space of its Lie-algebra generator).
    func fixedSpace(rotationOrder: Int?, containsReflection: Bool) -> DenseMatrix {
        var constraints: [DenseMatrix] = []
        let identity = DenseMatrix.identity(size)
        if let order = rotationOrder {
            if order > 1 { constraints.append(action(PlanarAction(angle: 2 * Double.pi / Double(order))) - identity) }
        } else {
            constraints.append(rotationGenerator)
        }
        if containsReflection { constraints.append(action(PlanarAction(quarterTurns: 0, reflected: true)) - identity) }
        if constraints.isEmpty { return identity }
        return DenseMatrix.commonNullSpace(of: constraints, size: size)
    }

    /// Splits a coordinate vector into A (and B when m > 0).
    func matrices(_ vector: [Double]) -> (a: DenseMatrix, b: DenseMatrix) {
        let (rows, columns) = (output.dimension, input.dimension)
        let a = DenseMatrix(rows: rows, columns: columns, values: Array(vector[0..<blockSize]))
        let b = frequency == 0 ? DenseMatrix.zeros(rows, columns)
            : DenseMatrix(rows: rows, columns: columns, values: Array(vector[blockSize..<(2 * blockSize)]))
        return (a, b)
    }

    /// The matrix of a linear map given on (A, B); B is ignored (zero) for m = 0.
    private func linearMap(_ map: (DenseMatrix, DenseMatrix) -> (DenseMatrix, DenseMatrix)) -> DenseMatrix {
        var result = DenseMatrix.zeros(size, size)
        for column in 0..<size {
            var unit = [Double](repeating: 0, count: size)
            unit[column] = 1
            let (a, b) = matrices(unit)
            let (imageA, imageB) = map(a, b)
            let image = frequency == 0 ? imageA.values : imageA.values + imageB.values
            for row in 0..<size { result[row, column] = image[row] }
        }
        return result
    }
}

extension DenseMatrix {
    func scaled(_ factor: Double) -> DenseMatrix {
        DenseMatrix(rows: rows, columns: columns, values: values.map { $0 * factor })
    }
}
