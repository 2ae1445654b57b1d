import Foundation

/// A small dense real matrix in row-major order: the linear algebra of representations and of the
/// steerable-basis solver, where every matrix is at most a few dozen rows (Double throughout).
struct DenseMatrix: Equatable, Sendable {
    var rows: Int
    var columns: Int
    var values: [Double]

    init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "DenseMatrix: \(values.count) values for \(rows)×\(columns)")
        (self.rows, self.columns, self.values) = (rows, columns, values)
    }

    static func zeros(_ rows: Int, _ columns: Int) -> DenseMatrix {
        DenseMatrix(rows: rows, columns: columns, values: Array(repeating: 0, count: rows * columns))
    }

    static func identity(_ size: Int) -> DenseMatrix {
        var result = zeros(size, size)
        for index in 0..<size { result[index, index] = 1 }
        return result
    }

    /// The matrix with the given blocks on its diagonal and zeros elsewhere.
    static func blockDiagonal(_ blocks: [DenseMatrix]) -> DenseMatrix {
        let size = blocks.reduce(0) { $0 + $1.rows }, width = blocks.reduce(0) { $0 + $1.columns }
        var result = zeros(size, width)
        var (row, column) = (0, 0)
        for block in blocks {
            for i in 0..<block.rows { for j in 0..<block.columns { result[row + i, column + j] = block[i, j] } }
            row += block.rows
            column += block.columns
        }
        return result
    }

    subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    var transposed: DenseMatrix {
        var result = DenseMatrix.zeros(columns, rows)
        for i in 0..<rows { for j in 0..<columns { result[j, i] = self[i, j] } }
        return result
    }

    static func * (a: DenseMatrix, b: DenseMatrix) -> DenseMatrix {
        precondition(a.columns == b.rows, "DenseMatrix: \(a.rows)×\(a.columns) · \(b.rows)×\(b.columns)")
        var result = DenseMatrix.zeros(a.rows, b.columns)
        for i in 0..<a.rows {
            for p in 0..<a.columns where a[i, p] != 0 {
                let scale = a[i, p]
                for j in 0..<b.columns { result.values[i * b.columns + j] += scale * b.values[p * b.columns + j] }
            }
        }
        return result
    }

    static func - (a: DenseMatrix, b: DenseMatrix) -> DenseMatrix {
        DenseMatrix(rows: a.rows, columns: a.columns, values: zip(a.values, b.values).map { $0 - $1 })
    }

    static func + (a: DenseMatrix, b: DenseMatrix) -> DenseMatrix {
        DenseMatrix(rows: a.rows, columns: a.columns, values: zip(a.values, b.values).map { $0 + $1 })
    }

    /// Largest |entry| of self - other.
    func maximumDifference(to other: DenseMatrix) -> Double {
        zip(values, other.values).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// Eigenvalues and orthonormal eigenvectors (as columns) of a symmetric matrix, by cyclic Jacobi
    /// rotations: slow (O(n³) per sweep) but accurate to a few ulps and simple; n here is ≤ ~50.
    func symmetricEigen() -> (values: [Double], vectors: DenseMatrix) {
        precondition(rows == columns, "symmetricEigen: \(rows)×\(columns) is not square")
        var a = self, v = DenseMatrix.identity(rows)
        let n = rows
        for _ in 0..<100 {
            var offDiagonal = 0.0
            for p in 0..<n { for q in (p + 1)..<n { offDiagonal += a[p, q] * a[p, q] } }
            let scale = a.values.reduce(0) { $0 + $1 * $1 }
            if offDiagonal <= 1e-32 * max(scale, 1e-300) { break }
            for p in 0..<n {
                for q in (p + 1)..<n where a[p, q] != 0 {
                    // The rotation that zeroes a[p, q] (Golub & Van Loan, Algorithm 8.4.1).
                    let tau = (a[q, q] - a[p, p]) / (2 * a[p, q])
                    let t = (tau >= 0 ? 1.0 : -1.0) / (abs(tau) + (1 + tau * tau).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = t * c
                    for k in 0..<n {
                        let (akp, akq) = (a[k, p], a[k, q])
                        a[k, p] = c * akp - s * akq
                        a[k, q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let (apk, aqk) = (a[p, k], a[q, k])
                        a[p, k] = c * apk - s * aqk
                        a[q, k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let (vkp, vkq) = (v[k, p], v[k, q])
                        v[k, p] = c * vkp - s * vkq
                        v[k, q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { a[$0, $0] }, v)
    }

    /// An orthonormal basis (as columns) of the common null space of the given square matrices, from
    /// the eigenvectors of Σ MᵀM with eigenvalue ≤ `tolerance` · (largest eigenvalue, at least 1).
    static func commonNullSpace(of matrices: [DenseMatrix], size: Int, tolerance: Double = 1e-10) -> DenseMatrix {
        var gram = DenseMatrix.zeros(size, size)
        for matrix in matrices { gram = gram + matrix.transposed * matrix }
        let (eigenvalues, eigenvectors) = gram.symmetricEigen()
        let threshold = tolerance * max(1, eigenvalues.max() ?? 0)
        let kept = eigenvalues.indices.filter { eigenvalues[$0] <= threshold }
        var result = DenseMatrix.zeros(size, kept.count)
        for (column, index) in kept.enumerated() {
            // A canonical sign: the largest entry of each vector is positive (deterministic output).
            let vector = (0..<size).map { eigenvectors[$0, index] }
            let largest = vector.indices.max { abs(vector[$0]) < abs(vector[$1]) } ?? 0
            let sign = vector[largest] < 0 ? -1.0 : 1.0
            for row in 0..<size { result[row, column] = sign * vector[row] }
        }
        return result
    }
}
