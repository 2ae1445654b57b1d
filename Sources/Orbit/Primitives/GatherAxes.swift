internal import OrbitKernels

extension Tensor {
    /// The separable gather primitive behind slice, flip, roll, pad and index-select:
    ///
    ///     y[i₀, …, iₙ] = x[m₀(i₀), …, mₙ(iₙ)],   0 where any mₖ(iₖ) = -1.
    ///
    /// `maps[k]` lists, for each output position along axis k, the input position (or -1); nil means
    /// the identity. Pullback: ḡ scatter-added back through the maps, one non-identity axis at a time.
    func gatherAxes(_ maps: [[Int]?], _ name: String) -> Tensor {
        check(maps.count == rank, name, "needs one index map per axis of \(shape)")
        let full = maps.enumerated().map { axis, map in map ?? Array(0..<shape[axis]) }
        for (axis, map) in full.enumerated() {
            check(map.allSatisfy { $0 >= -1 && $0 < shape[axis] }, name,
                  "index out of range 0..<\(shape[axis]) along axis \(axis) of shape \(shape)")
        }
        let output = Tensor(uninitializedShape: full.map(\.count), dtype: dtype)
        OrbitKernels.gatherAxes(source: storage.pointer, sourceShape: shape, maps: full,
                                output: output.storage.pointer, elementSize: dtype.byteCount)
        guard dtype.isFloatingPoint else { return output }
        let sourceShape = shape
        return record(name, inputs: [self], output: output) { g, _ in
            [g.scatterAddAxes(maps, sourceShape: sourceShape)]
        }
    }

    /// Adjoint of `gatherAxes` (not recorded: used in pullbacks only).
    private func scatterAddAxes(_ maps: [[Int]?], sourceShape: [Int]) -> Tensor {
        var current = self
        for (axis, map) in maps.enumerated() {
            guard let map else { continue }
            var shape = current.shape
            shape[axis] = sourceShape[axis]
            let output = Tensor(uninitializedShape: shape, dtype: dtype)
            let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
            switch dtype {
            case .float32: scatterAddAlongAxis(current.pointer(Float.self), outer: outer, map: map, inner: inner,
                                               sourceLength: sourceShape[axis], output.pointer(Float.self))
            case .float64: scatterAddAlongAxis(current.pointer(Double.self), outer: outer, map: map, inner: inner,
                                               sourceLength: sourceShape[axis], output.pointer(Double.self))
            case .int64, .bool: fail("gatherAxes", "unreachable")
            }
            current = output
        }
        return current
    }
}
