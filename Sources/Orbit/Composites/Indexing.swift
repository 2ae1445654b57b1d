// Slicing, flipping, rolling, padding and index-select: each builds per-axis index maps for the one
// `gatherAxes` primitive, so they share its kernel and its pullback.

/// How values outside a tensor are filled when padding (and, for convolutions, which of these apply).
public enum PaddingMode: String, Sendable, CaseIterable {
    /// Zeros outside.
    case zeros
    /// Wrap around (the torus): index i reads i mod n. The flow action of translation FERNNs.
    case circular
    /// Mirror without repeating the edge (PyTorch `reflect`): needs padding < size.
    case reflect
}

extension Tensor {
    /// Elements `range` (with `step` > 0) along `axis` (PyTorch `x[..., start:end:step, ...]`).
    public func slice(axis: Int, _ range: Range<Int>, step: Int = 1) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, operation: "slice")
        check(step > 0, "slice", "step must be positive, got \(step)")
        check(range.lowerBound >= 0 && range.upperBound <= shape[axis], "slice",
              "range \(range) is outside 0..<\(shape[axis]) along axis \(axis) of shape \(shape)")
        return gatherAxes(map(axis, Array(stride(from: range.lowerBound, to: range.upperBound, by: step))), "slice")
    }

    /// The entry `index` along `axis`, with that axis removed (PyTorch `x.select(axis, index)`).
    public func slice(axis: Int, index: Int) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, operation: "slice")
        check(index >= 0 && index < shape[axis], "slice", "index \(index) is outside 0..<\(shape[axis]) along axis \(axis) of \(shape)")
        return slice(axis: axis, index..<(index + 1)).squeezed(axis: axis)
    }

    /// Reverses the order of elements along each of `axes`.
    public func flipped(axes: [Int]) -> Tensor {
        let axes = Shape.normalize(axes: axes, rank: rank, operation: "flipped")
        var maps = [[Int]?](repeating: nil, count: rank)
        for axis in axes { maps[axis] = Array((0..<shape[axis]).reversed()) }
        return gatherAxes(maps, "flip")
    }

    /// Cyclic shift: element i along `axes[k]` moves to (i + shifts[k]) mod n (PyTorch `roll`), so
    /// content moves by +shift. This is the translation flow on the torus.
    public func rolled(shifts: [Int], axes: [Int]) -> Tensor {
        check(shifts.count == axes.count, "rolled", "got \(shifts.count) shifts for \(axes.count) axes")
        // Shifts of a repeated axis add up, as in PyTorch.
        var totalShift = [Int](repeating: 0, count: rank)
        for (shift, axis) in zip(shifts, axes) { totalShift[Shape.normalize(axis: axis, rank: rank, operation: "rolled")] += shift }
        let maps: [[Int]?] = totalShift.enumerated().map { axis, shift in
            let size = shape[axis]
            guard shift != 0, size > 0 else { return nil }
            return (0..<size).map { (($0 - shift) % size + size) % size }
        }
        return gatherAxes(maps, "roll")
    }

    /// Pads the trailing `widths.count` axes by (before, after) elements each, with zeros, wrap-around
    /// or mirrored values. `x.padded([(1, 1), (1, 1)], mode: .circular)` pads H and W of NCHW.
    public func padded(_ widths: [(before: Int, after: Int)], mode: PaddingMode = .zeros) -> Tensor {
        check(widths.count <= rank, "padded", "\(widths.count) padding pairs for a tensor of rank \(rank)")
        var maps = [[Int]?](repeating: nil, count: rank)
        for (offset, width) in widths.enumerated() {
            let axis = rank - widths.count + offset
            let size = shape[axis]
            check(width.before >= 0 && width.after >= 0, "padded", "negative padding \(width) on axis \(axis)")
            if width.before == 0 && width.after == 0 { continue }
            check(mode == .zeros || size > 0, "padded", "cannot pad an empty axis \(axis) of \(shape) with \(mode)")
            check(mode != .reflect || (width.before < size && width.after < size), "padded",
                  "reflect padding \(width) must be smaller than the size \(size) of axis \(axis) of \(shape)")
            maps[axis] = (-width.before..<(size + width.after)).map { index in
                switch mode {
                case .zeros: (0..<size).contains(index) ? index : -1
                case .circular: (index % size + size) % size
                case .reflect: Tensor.reflect(index, size)
                }
            }
        }
        return gatherAxes(maps, "pad")
    }

    /// The entries `indices` along `axis`, in that order (PyTorch `index_select`); an index of -1 gives
    /// a slice of zeros (a neighbour outside the range, for example).
    public func indexSelect(axis: Int, _ indices: [Int]) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, operation: "indexSelect")
        check(indices.allSatisfy { $0 >= -1 && $0 < shape[axis] }, "indexSelect",
              "indices \(indices) fall outside 0..<\(shape[axis]) (or -1 for zeros) along axis \(axis) of shape \(shape)")
        return gatherAxes(map(axis, indices), "indexSelect")
    }

    private func map(_ axis: Int, _ indices: [Int]) -> [[Int]?] {
        var maps = [[Int]?](repeating: nil, count: rank)
        maps[axis] = indices
        return maps
    }

    private static func reflect(_ index: Int, _ size: Int) -> Int {
        guard size > 1 else { return 0 }
        let period = 2 * (size - 1)
        let folded = (index % period + period) % period
        return folded < size ? folded : period - folded
    }
}
