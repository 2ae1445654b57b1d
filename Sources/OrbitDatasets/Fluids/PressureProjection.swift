import Foundation

/// Pressure projection onto divergence-free velocities in a closed box, solved exactly (to rounding).
///
/// Chorin's projection: find the pressure `p` with
///
///     laplacian(p) = div(w)            in the box, dp/dn = 0 on the walls (no flow through them)
///     w_new = w - grad(p)              so that div(w_new) = 0
///
/// On the staggered grid, `div` (faces -> cells) composed with `grad` (cells -> faces, zero on wall faces)
/// is exactly the 5-point Laplacian with Neumann walls, `L = T_x (x) I + I (x) T_y`, where `T_n` is the 1-D
/// second difference with `-1` in its first and last diagonal entries. `T_n` is diagonalised by the
/// orthonormal DCT-II basis, `T_n = Q diag(lambda) Q^T` with
///
///     Q[i][k] = c_k cos(pi k (i + 1/2) / n),  c_0 = sqrt(1/n), c_k = sqrt(2/n);  lambda_k = -4 sin^2(pi k / (2n))
///
/// so `p = Q_y [(Q_y^T D Q_x) / (lambda_a + lambda_b)] Q_x^T` with `D` the divergence as a `[height][width]`
/// matrix. The constant mode (a = b = 0, the Laplacian's null space) is set to zero; the divergence's mean
/// is zero anyway, since no flow crosses the walls. Four dense matrix products: O(n^3) per solve, about
/// 2 MFLOP at 64 x 64, and no iteration count or tolerance to choose (PhiFlow used conjugate gradient to a
/// relative 1e-5; this is a direct solve). Docs/Fluids.md reports the measured residual.
struct PressureSolver: Sendable {
    let width: Int
    let height: Int
    /// `Q_x` (`[width][width]`) and its transpose; the same for y.
    private let basisX: [Double], basisXT: [Double], basisY: [Double], basisYT: [Double]
    /// `1 / (lambda_a + lambda_b)`, `[height][width]`, 0 for the constant mode.
    private let inverseEigenvalues: [Double]

    init(width: Int, height: Int) {
        (self.width, self.height) = (width, height)
        func basis(_ n: Int) -> (q: [Double], qT: [Double], lambda: [Double]) {
            var q = [Double](repeating: 0, count: n * n), qT = q
            for i in 0..<n {
                for k in 0..<n {
                    let scale = (k == 0 ? 1.0 : 2.0).squareRoot() / Double(n).squareRoot()
                    let value = scale * cos(Double.pi * Double(k) * (Double(i) + 0.5) / Double(n))
                    q[i * n + k] = value
                    qT[k * n + i] = value
                }
            }
            let lambda = (0..<n).map { k -> Double in
                let s = sin(Double.pi * Double(k) / Double(2 * n))
                return -4 * s * s
            }
            return (q, qT, lambda)
        }
        let x = basis(width), y = basis(height)
        (basisX, basisXT, basisY, basisYT) = (x.q, x.qT, y.q, y.qT)
        var inverse = [Double](repeating: 0, count: width * height)
        for a in 0..<height {
            for b in 0..<width where a + b > 0 { inverse[a * width + b] = 1 / (y.lambda[a] + x.lambda[b]) }
        }
        inverseEigenvalues = inverse
    }

    /// The pressure `[height][width]` whose Neumann Laplacian is `divergence` (minus its mean).
    func pressure(for divergence: [Double]) -> [Double] {
        // Spectral coefficients: Q_y^T D Q_x, scaled by the inverse eigenvalues, then back.
        var spectrum = multiply(multiply(basisYT, divergence, height, height, width), basisX, height, width, width)
        for index in spectrum.indices { spectrum[index] *= inverseEigenvalues[index] }
        return multiply(multiply(basisY, spectrum, height, height, width), basisXT, height, width, width)
    }

    /// Makes `velocity` divergence-free: solves for the pressure and subtracts its gradient from the
    /// interior faces. Returns the largest |divergence| per cell before and after.
    @discardableResult
    func project(_ velocity: inout StaggeredVelocity) -> (before: Double, after: Double) {
        let divergence = velocity.divergence()
        let p = pressure(for: divergence)
        for j in 0..<height {
            for i in 1..<width { velocity.u[j * (width + 1) + i] -= p[j * width + i] - p[j * width + i - 1] }
        }
        for j in 1..<height {
            for i in 0..<width { velocity.v[j * width + i] -= p[j * width + i] - p[(j - 1) * width + i] }
        }
        let after = velocity.divergence()
        return (divergence.map(abs).max() ?? 0, after.map(abs).max() ?? 0)
    }

    /// `a [rows x inner] * b [inner x columns]`, row-major, in the i-k-j order the compiler vectorises.
    private func multiply(_ a: [Double], _ b: [Double], _ rows: Int, _ inner: Int, _ columns: Int) -> [Double] {
        var c = [Double](repeating: 0, count: rows * columns)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for i in 0..<rows {
                        let row = c.baseAddress! + i * columns
                        for k in 0..<inner {
                            let scale = a[i * inner + k]
                            let bRow = b.baseAddress! + k * columns
                            for j in 0..<columns { row[j] += scale * bRow[j] }
                        }
                    }
                }
            }
        }
        return c
    }
}
