/// Grid storage and interpolation shared by the smoke simulator.
///
/// Conventions (PhiFlow's, so that frames line up with the reference data): the domain is
/// `[0, width] x [0, height]` with cell size 1; arrays are row-major `[y][x]` with **row 0 at the bottom**
/// (y grows with the row index); a velocity's component 0 is x, component 1 is y.
///
/// The velocity lives on a staggered (MAC) grid: `u` (x-component) on the vertical faces, at
/// `(x, y) = (i, j + 1/2)` for `i` in `0...width`, `j` in `0..<height`, stored `[height][width + 1]`; `v`
/// (y-component) on the horizontal faces, at `(i + 1/2, j)`, stored `[height + 1][width]`. Scalars (smoke
/// density, pressure) live at cell centres `(i + 1/2, j + 1/2)`, stored `[height][width]`. With this layout
/// the discrete divergence of the discrete gradient is exactly the 5-point Laplacian, so a projection
/// that solves the Poisson equation exactly leaves zero divergence (collocated grids cannot do that).
struct StaggeredVelocity: Sendable, Equatable {
    let width: Int
    let height: Int
    /// x-components on vertical faces, `[height][width + 1]`; the wall faces (columns 0 and `width`) are 0.
    var u: [Double]
    /// y-components on horizontal faces, `[height + 1][width]`; the wall faces (rows 0 and `height`) are 0.
    var v: [Double]

    init(width: Int, height: Int) {
        (self.width, self.height) = (width, height)
        u = [Double](repeating: 0, count: height * (width + 1))
        v = [Double](repeating: 0, count: (height + 1) * width)
    }

    /// The layout of the `u` faces as a sampled grid (zero outside: closed walls).
    var uLayout: GridLayout { GridLayout(columns: width + 1, rows: height, originX: 0, originY: 0.5, outside: .zero) }
    /// The layout of the `v` faces as a sampled grid (zero outside: closed walls).
    var vLayout: GridLayout { GridLayout(columns: width, rows: height + 1, originX: 0.5, originY: 0, outside: .zero) }

    /// Divergence per cell, `[height][width]`: `(u[j][i+1] - u[j][i]) + (v[j+1][i] - v[j][i])` (cell size 1).
    ///
    /// The two differences are added last so that a quarter-turn of the field permutes the operands of
    /// commutative operations only (exact in floating point), see Docs/Fluids.md.
    func divergence() -> [Double] {
        var result = [Double](repeating: 0, count: width * height)
        for j in 0..<height {
            for i in 0..<width {
                let dx = u[j * (width + 1) + i + 1] - u[j * (width + 1) + i]
                let dy = v[(j + 1) * width + i] - v[j * width + i]
                result[j * width + i] = dx + dy
            }
        }
        return result
    }

    /// Velocity at the cell centres, `[2][height][width]`: the mean of the two faces of each component.
    func centered() -> [Double] {
        let cells = width * height
        var result = [Double](repeating: 0, count: 2 * cells)
        for j in 0..<height {
            for i in 0..<width {
                result[j * width + i] = 0.5 * (u[j * (width + 1) + i] + u[j * (width + 1) + i + 1])
                result[cells + j * width + i] = 0.5 * (v[j * width + i] + v[(j + 1) * width + i])
            }
        }
        return result
    }

    /// The full velocity vector at a point, each component interpolated from its own faces.
    @inline(__always)
    func velocity(atX x: Double, y: Double, u: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>) -> (Double, Double) {
        (uLayout.sample(u, x: x, y: y), vLayout.sample(v, x: x, y: y))
    }
}

/// How a grid stored as `[rows][columns]` sits in the domain, and what lies outside it.
struct GridLayout: Sendable {
    /// Values beyond the stored samples: zero (closed walls for velocity) or the nearest sample
    /// (zero-gradient, PhiFlow's `extrapolation.BOUNDARY`, for smoke).
    enum Outside: Sendable { case zero, nearest }

    let columns: Int
    let rows: Int
    /// Domain position of sample `[0][0]`.
    let originX: Double
    let originY: Double
    let outside: Outside

    @inline(__always)
    private func value(_ values: UnsafeBufferPointer<Double>, _ column: Int, _ row: Int) -> Double {
        switch outside {
        case .zero:
            if column < 0 || column >= columns || row < 0 || row >= rows { return 0 }
            return values[row * columns + column]
        case .nearest:
            return values[min(max(row, 0), rows - 1) * columns + min(max(column, 0), columns - 1)]
        }
    }

    /// Bilinear interpolation at domain position `(x, y)`.
    @inline(__always)
    func sample(_ values: UnsafeBufferPointer<Double>, x: Double, y: Double) -> Double {
        sampleWithBounds(values, x: x, y: y).value
    }

    /// Bilinear interpolation at `(x, y)`, with the smallest and largest of the four samples it used
    /// (the bounds MacCormack's limiter clamps to).
    @inline(__always)
    func sampleWithBounds(_ values: UnsafeBufferPointer<Double>, x: Double, y: Double)
        -> (value: Double, lower: Double, upper: Double) {
        let gx = x - originX, gy = y - originY
        let fx = gx.rounded(.down), fy = gy.rounded(.down)
        let tx = gx - fx, ty = gy - fy
        // Far outside (a wild backtrace) clamp the index before converting, so Int(_:) cannot trap.
        let column = Int(min(max(fx, -2), Double(columns + 1))), row = Int(min(max(fy, -2), Double(rows + 1)))
        let a = value(values, column, row), b = value(values, column + 1, row)
        let c = value(values, column, row + 1), d = value(values, column + 1, row + 1)
        let bottom = a + tx * (b - a), top = c + tx * (d - c)
        return (bottom + ty * (top - bottom), min(min(a, b), min(c, d)), max(max(a, b), max(c, d)))
    }
}
