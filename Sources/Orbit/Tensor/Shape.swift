/// Shape arithmetic shared by every op. A shape is `[Int]`, outermost axis first (row-major).
extension Array where Element == Int {
    /// Product of the sizes (1 for the scalar shape `[]`).
    var elementCount: Int { reduce(1, *) }

    /// Row-major strides in elements: the last axis has stride 1.
    var rowMajorStrides: [Int] {
        var strides = [Int](repeating: 1, count: count)
        var running = 1
        for axis in indices.reversed() {
            strides[axis] = running
            running *= self[axis]
        }
        return strides
    }
}

enum Shape {
    /// The NumPy broadcast of two shapes: align trailing axes; sizes must match or one must be 1.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let sizeA = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
            let sizeB = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
            if sizeA == sizeB || sizeB == 1 {
                result[axis] = sizeA
            } else if sizeA == 1 {
                result[axis] = sizeB
            } else {
                return nil
            }
        }
        return result
    }

    /// Strides (in elements) that read a tensor of `shape` as if broadcast to `target`:
    /// broadcast axes get stride 0. `shape` must broadcast to `target`.
    static func broadcastStrides(of shape: [Int], to target: [Int]) -> [Int] {
        let own = shape.rowMajorStrides
        let offset = target.count - shape.count
        return target.indices.map { axis in
            axis < offset || shape[axis - offset] == 1 ? 0 : own[axis - offset]
        }
    }

    /// `axis` with negative values counted from the end; stops with a message when out of range.
    /// A rank-0 tensor accepts axis 0 or -1 (as PyTorch) and gets 0; callers that index the shape
    /// handle rank 0 first.
    static func normalize(axis: Int, rank: Int, operation: String) -> Int {
        if rank == 0 {
            check(axis == 0 || axis == -1, operation, "axis \(axis) is out of range for a tensor of rank 0 (use 0 or -1)")
            return 0
        }
        let normalized = axis < 0 ? axis + rank : axis
        check(normalized >= 0 && normalized < rank, operation, "axis \(axis) is out of range for a tensor of rank \(rank)")
        return normalized
    }

    /// Normalizes a list of axes, rejecting duplicates; `nil` means every axis. On a rank-0 tensor
    /// every valid axis means "no axis": reducing a scalar leaves it unchanged, as in PyTorch.
    static func normalize(axes: [Int]?, rank: Int, operation: String) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        let normalized = axes.map { normalize(axis: $0, rank: rank, operation: operation) }
        if rank == 0 { return [] }
        check(Set(normalized).count == normalized.count, operation, "repeated axis in \(axes)")
        return normalized.sorted()
    }
}
