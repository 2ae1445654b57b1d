/// Gather and scatter-add along one axis with an index tensor (PyTorch `gather` / `scatter_add`).
/// The source is viewed as [outer, length, inner], the indices and the output as [outer, count, inner]:
///
///     output[o, j, i] = source[o, index[o, j, i], i]
///
/// Indices must already be checked to lie in 0..<length.
public func gather(_ source: UnsafeRawPointer, outer: Int, length: Int, inner: Int, indices: UnsafePointer<Int64>,
                   count: Int, output: UnsafeMutableRawPointer, elementSize: Int) {
    switch elementSize {
    case 4: gather(source.assumingMemoryBound(to: UInt32.self), outer, length, inner, indices, count, output.assumingMemoryBound(to: UInt32.self))
    case 8: gather(source.assumingMemoryBound(to: UInt64.self), outer, length, inner, indices, count, output.assumingMemoryBound(to: UInt64.self))
    case 1: gather(source.assumingMemoryBound(to: UInt8.self), outer, length, inner, indices, count, output.assumingMemoryBound(to: UInt8.self))
    default: fatalError("gather: unsupported element size \(elementSize)")
    }
}

private func gather<T>(_ source: UnsafePointer<T>, _ outer: Int, _ length: Int, _ inner: Int,
                       _ indices: UnsafePointer<Int64>, _ count: Int, _ output: UnsafeMutablePointer<T>) {
    Parallel.forEachRange(outer, grain: max(1, (1 << 15) / max(1, count * inner))) { rows in
        for o in rows {
            for j in 0..<count {
                for i in 0..<inner {
                    let position = (o * count + j) * inner + i
                    output[position] = source[(o * length + Int(indices[position])) * inner + i]
                }
            }
        }
    }
}

/// The adjoint of `gather`: output (zeroed first, [outer, length, inner]) accumulates
/// cotangent[o, j, i] at [o, index[o, j, i], i]. Each outer slab is summed by one thread in index order.
public func scatterAdd(_ cotangent: UnsafePointer<Float>, outer: Int, length: Int, inner: Int,
                       indices: UnsafePointer<Int64>, count: Int, output: UnsafeMutablePointer<Float>) {
    scatter(cotangent, outer, length, inner, indices, count, output)
}

public func scatterAdd(_ cotangent: UnsafePointer<Double>, outer: Int, length: Int, inner: Int,
                       indices: UnsafePointer<Int64>, count: Int, output: UnsafeMutablePointer<Double>) {
    scatter(cotangent, outer, length, inner, indices, count, output)
}

private func scatter<T: KernelFloat>(_ cotangent: UnsafePointer<T>, _ outer: Int, _ length: Int, _ inner: Int,
                                     _ indices: UnsafePointer<Int64>, _ count: Int, _ output: UnsafeMutablePointer<T>) {
    Parallel.forEachRange(outer, grain: max(1, (1 << 15) / max(1, count * inner))) { rows in
        for o in rows {
            (output + o * length * inner).update(repeating: 0, count: length * inner)
            for j in 0..<count {
                for i in 0..<inner {
                    let position = (o * count + j) * inner + i
                    output[(o * length + Int(indices[position])) * inner + i] += cotangent[position]
                }
            }
        }
    }
}
