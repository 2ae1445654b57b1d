/// Reductions along one axis. The caller views the tensor as [outer, length, inner] (the reduced axis in
/// the middle) and gets [outer, inner]; reducing several axes is several calls.
///
/// Sums accumulate in SIMD lanes and combine lanes in a fixed order, so results are reproducible and do
/// not depend on the thread count; maximum and minimum propagate NaN, as PyTorch does.
public enum ReductionOperation: Sendable, Equatable {
    case sum, maximum, minimum
}

public func reduce(_ operation: ReductionOperation, _ input: UnsafePointer<Float>,
                   outer: Int, length: Int, inner: Int, _ output: UnsafeMutablePointer<Float>) {
    reduceAxis(operation, input, outer: outer, length: length, inner: inner, output)
}

public func reduce(_ operation: ReductionOperation, _ input: UnsafePointer<Double>,
                   outer: Int, length: Int, inner: Int, _ output: UnsafeMutablePointer<Double>) {
    reduceAxis(operation, input, outer: outer, length: length, inner: inner, output)
}

@inline(__always)
private func combine<T: KernelFloat>(_ operation: ReductionOperation, _ x: SIMD8<T>, _ y: SIMD8<T>) -> SIMD8<T> {
    switch operation {
    case .sum: return x + y
    case .maximum: return propagatingNaN(x, y, T.select(T.greater(y, x), y, x))
    case .minimum: return propagatingNaN(x, y, T.select(T.less(y, x), y, x))
    }
}

@inline(__always)
private func identity<T: KernelFloat>(_ operation: ReductionOperation) -> T {
    switch operation {
    case .sum: 0
    case .maximum: -.infinity
    case .minimum: .infinity
    }
}

private func reduceAxis<T: KernelFloat>(_ operation: ReductionOperation, _ input: UnsafePointer<T>,
                                        outer: Int, length: Int, inner: Int, _ output: UnsafeMutablePointer<T>) {
    guard outer > 0, inner > 0 else { return }
    if inner == 1 {
        if outer == 1 && length > 1 << 16 {
            output[0] = reduceLongRow(operation, input, length)
        } else {
            Parallel.forEachRange(outer, grain: max(1, (1 << 15) / max(1, length))) { rows in
                for row in rows { output[row] = reduceRow(operation, input + row * length, length) }
            }
        }
        return
    }
    // Reduced axis strided by `inner`: accumulate whole rows of `inner` elements, vectorized along inner.
    let columnGrain = 256
    let columnChunks = (inner + columnGrain - 1) / columnGrain
    Parallel.forEachChunk(outer * columnChunks) { chunk in
        let row = chunk / columnChunks
        let start = (chunk % columnChunks) * columnGrain
        let count = min(columnGrain, inner - start)
        let source = input + row * length * inner + start
        let destination = output + row * inner + start
        var column = 0
        while column < count {
            let lanes = min(8, count - column)
            var accumulator = SIMD8<T>(repeating: identity(operation))
            for index in 0..<length {
                let pointer = source + index * inner + column
                let value = lanes == 8 ? loadVector(pointer) : loadPartialVector(pointer, lanes)
                accumulator = combine(operation, accumulator, value)
            }
            if lanes == 8 { storeVector(accumulator, destination + column) }
            else { storePartialVector(accumulator, destination + column, lanes) }
            column += 8
        }
    }
}

/// Reduces a contiguous row with four independent SIMD accumulators, combined in a fixed order.
@inline(__always)
private func reduceRow<T: KernelFloat>(_ operation: ReductionOperation, _ row: UnsafePointer<T>, _ length: Int) -> T {
    let start = SIMD8<T>(repeating: identity(operation))
    var accumulators = (start, start, start, start)
    var index = 0
    while index + 32 <= length {
        accumulators.0 = combine(operation, accumulators.0, loadVector(row + index))
        accumulators.1 = combine(operation, accumulators.1, loadVector(row + index + 8))
        accumulators.2 = combine(operation, accumulators.2, loadVector(row + index + 16))
        accumulators.3 = combine(operation, accumulators.3, loadVector(row + index + 24))
        index += 32
    }
    while index + 8 <= length {
        accumulators.0 = combine(operation, accumulators.0, loadVector(row + index))
        index += 8
    }
    if index < length {
        var tail = start
        for lane in 0..<(length - index) { tail[lane] = row[index + lane] }
        accumulators.1 = combine(operation, accumulators.1, tail)
    }
    let total = combine(operation, combine(operation, accumulators.0, accumulators.1),
                        combine(operation, accumulators.2, accumulators.3))
    var result = total[0]
    for lane in 1..<8 { result = combine(operation, SIMD8(repeating: result), SIMD8(repeating: total[lane]))[0] }
    return result
}

/// A single long row, cut into fixed pieces reduced in parallel and combined in piece order.
private func reduceLongRow<T: KernelFloat>(_ operation: ReductionOperation, _ row: UnsafePointer<T>, _ length: Int) -> T {
    let piece = 1 << 14
    let pieces = (length + piece - 1) / piece
    var partials = [T](repeating: identity(operation), count: pieces)
    partials.withUnsafeMutableBufferPointer { partials in
        let destination = partials.baseAddress!
        Parallel.forEachChunk(pieces) { index in
            let start = index * piece
            destination[index] = reduceRow(operation, row + start, min(piece, length - start))
        }
    }
    return partials.withUnsafeBufferPointer { reduceRow(operation, $0.baseAddress!, pieces) }
}

/// Index of the first maximum (or minimum) along the middle axis of [outer, length, inner]; NaN counts
/// as the maximum (and the minimum), as in PyTorch.
public func argReduce<T: BinaryFloatingPoint>(maximum: Bool, _ input: UnsafePointer<T>, outer: Int, length: Int,
                                              inner: Int, _ output: UnsafeMutablePointer<Int64>) {
    for row in 0..<outer {
        for column in 0..<inner {
            var best = input[row * length * inner + column]
            var bestIndex = 0
            for index in 1..<max(1, length) where !best.isNaN {
                let value = input[(row * length + index) * inner + column]
                if value.isNaN || (maximum ? value > best : value < best) {
                    best = value
                    bestIndex = index
                }
            }
            output[row * inner + column] = Int64(bestIndex)
        }
    }
}
