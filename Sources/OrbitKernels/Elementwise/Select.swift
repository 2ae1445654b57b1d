/// Comparisons (producing masks) and selection by mask, with broadcasting through `StridedLayout`.
/// These are not differentiated, so they run as plain scalar loops over rows.
public enum ComparisonOperation: Sendable, Equatable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}

public func applyComparison(_ operation: ComparisonOperation, _ layout: StridedLayout,
                            _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Bool>) {
    compare(operation, layout, a, b, output)
}

public func applyComparison(_ operation: ComparisonOperation, _ layout: StridedLayout,
                            _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ output: UnsafeMutablePointer<Bool>) {
    compare(operation, layout, a, b, output)
}

public func applyComparison(_ operation: ComparisonOperation, _ layout: StridedLayout,
                            _ a: UnsafePointer<Int64>, _ b: UnsafePointer<Int64>, _ output: UnsafeMutablePointer<Bool>) {
    compare(operation, layout, a, b, output)
}

@inline(__always)
private func compare<T: Comparable>(_ operation: ComparisonOperation, _ layout: StridedLayout,
                                    _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ output: UnsafeMutablePointer<Bool>) {
    switch operation {
    case .equal: pairwise(layout, a, b, output, ==)
    case .notEqual: pairwise(layout, a, b, output, !=)
    case .less: pairwise(layout, a, b, output, <)
    case .lessOrEqual: pairwise(layout, a, b, output, <=)
    case .greater: pairwise(layout, a, b, output, >)
    case .greaterOrEqual: pairwise(layout, a, b, output, >=)
    }
}

@inline(__always)
private func pairwise<T>(_ layout: StridedLayout, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>,
                         _ output: UnsafeMutablePointer<Bool>, _ predicate: (T, T) -> Bool) {
    let strideA = layout.rowStrides[0], strideB = layout.rowStrides[1]
    layout.forEachPiece { start, length, offsets in
        for index in 0..<length {
            output[start + index] = predicate(a[offsets[0] + index * strideA], b[offsets[1] + index * strideB])
        }
    }
}

/// output = mask ? a : b, element-wise with broadcasting (operands in layout order: mask, a, b).
public func applySelect(_ layout: StridedLayout, mask: UnsafePointer<Bool>,
                        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
    select(layout, mask, a, b, output)
}

public func applySelect(_ layout: StridedLayout, mask: UnsafePointer<Bool>,
                        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ output: UnsafeMutablePointer<Double>) {
    select(layout, mask, a, b, output)
}

@inline(__always)
private func select<T>(_ layout: StridedLayout, _ mask: UnsafePointer<Bool>,
                       _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ output: UnsafeMutablePointer<T>) {
    let strides = layout.rowStrides
    layout.forEachPiece { start, length, offsets in
        for index in 0..<length {
            output[start + index] = mask[offsets[0] + index * strides[0]]
                ? a[offsets[1] + index * strides[1]] : b[offsets[2] + index * strides[2]]
        }
    }
}
