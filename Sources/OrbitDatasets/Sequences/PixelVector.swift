import Orbit

/// An integer displacement on the pixel grid: `y` rows down and `x` columns right.
///
/// Used for positions (offsets, corners) and for velocities in pixels per frame. The order (y, x) is the
/// order of the H and W axes of a `[T, 1, H, W]` sequence, so a velocity `v` moves content the way
/// `Tensor.rolled(shifts: [v.y, v.x], axes: [-2, -1])` does: `+y` is down and `+x` is right.
public struct PixelVector: Hashable, Sendable, CustomStringConvertible {
    /// Rows, positive downwards.
    public var y: Int
    /// Columns, positive to the right.
    public var x: Int

    public init(y: Int, x: Int) {
        self.y = y
        self.x = x
    }

    /// (0, 0).
    public static let zero = PixelVector(y: 0, x: 0)

    /// The (2R+1)^2 vectors of {-R...R}^2, row-major (y outer, x inner): the velocity set V_R^T of the
    /// FERNN paper. `grid(range: 1)` holds 9 vectors, `grid(range: 2)` 25.
    public static func grid(range: Int) -> [PixelVector] {
        requireArgument(range >= 0, "PixelVector.grid", "range must be >= 0, got \(range)")
        return (-range...range).flatMap { y in (-range...range).map { x in PixelVector(y: y, x: x) } }
    }

    /// Velocities along x only, (0, x) for each x in order: `horizontal(-5...5)` holds the 11 data
    /// velocities of the FERNN rebuttal's velocities-between-generators test. Any list works wherever a
    /// dataset takes `velocities`.
    public static func horizontal(_ xs: some Sequence<Int>) -> [PixelVector] { xs.map { PixelVector(y: 0, x: $0) } }

    /// Velocities along y only, (y, 0) for each y in order.
    public static func vertical(_ ys: some Sequence<Int>) -> [PixelVector] { ys.map { PixelVector(y: $0, x: 0) } }

    /// The squared Euclidean length `y^2 + x^2` (twice the kinetic energy of a unit mass).
    public var squaredLength: Int { y * y + x * x }

    public static func + (left: PixelVector, right: PixelVector) -> PixelVector {
        PixelVector(y: left.y + right.y, x: left.x + right.x)
    }

    public static func - (left: PixelVector, right: PixelVector) -> PixelVector {
        PixelVector(y: left.y - right.y, x: left.x - right.x)
    }

    public static prefix func - (vector: PixelVector) -> PixelVector {
        PixelVector(y: -vector.y, x: -vector.x)
    }

    public static func * (scale: Int, vector: PixelVector) -> PixelVector {
        PixelVector(y: scale * vector.y, x: scale * vector.x)
    }

    public var description: String { "(y: \(y), x: \(x))" }
}
