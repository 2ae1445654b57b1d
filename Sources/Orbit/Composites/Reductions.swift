// Reductions composed from `sum`: no pullbacks of their own.

extension Tensor {
    /// Mean over `axes` (all axes when nil): sum / count.
    public func mean(axes: [Int]? = nil, keepDimensions: Bool = false) -> Tensor {
        let normalized = Shape.normalize(axes: axes, rank: rank, operation: "mean")
        let count = normalized.map { shape[$0] }.reduce(1, *)
        check(count > 0, "mean", "mean over an empty set of elements (shape \(shape), axes \(normalized))")
        return sum(axes: normalized, keepDimensions: keepDimensions) / Double(count)
    }

    /// Mean over one axis.
    public func mean(axis: Int, keepDimensions: Bool = false) -> Tensor {
        mean(axes: [axis], keepDimensions: keepDimensions)
    }

    /// Biased variance (divides by the count, as normalization layers use) over `axes`.
    public func variance(axes: [Int]? = nil, keepDimensions: Bool = false) -> Tensor {
        let centered = self - mean(axes: axes, keepDimensions: true)
        return (centered * centered).mean(axes: axes, keepDimensions: keepDimensions)
    }
}
