/// The pullback of a maximum or minimum along the middle axis of [outer, length, inner], in one kernel:
///
///     inputGradient[o, l, i] = input[o, l, i] == extremum[o, i] ? gradient[o, i] / count[o, i] : 0
///
/// where count[o, i] is the number of l with input[o, l, i] == extremum[o, i] (ties share the gradient
/// equally, as PyTorch's `amax`). A NaN extremum matches nothing, so its gradient is all zeros. This is
/// exactly the composite `select(input .== extremum, gradient / Σ(input .== extremum), 0)` (the count is
/// an exact small integer and the one division is the same), computed in two passes over the input
/// instead of five broadcasting element-wise kernels and their temporaries.
public func extremumGradient(_ input: UnsafePointer<Float>, extremum: UnsafePointer<Float>, gradient: UnsafePointer<Float>,
                             outer: Int, length: Int, inner: Int, _ inputGradient: UnsafeMutablePointer<Float>) {
    extremumGradientKernel(input, extremum: extremum, gradient: gradient, outer: outer, length: length, inner: inner, inputGradient)
}

public func extremumGradient(_ input: UnsafePointer<Double>, extremum: UnsafePointer<Double>, gradient: UnsafePointer<Double>,
                             outer: Int, length: Int, inner: Int, _ inputGradient: UnsafeMutablePointer<Double>) {
    extremumGradientKernel(input, extremum: extremum, gradient: gradient, outer: outer, length: length, inner: inner, inputGradient)
}

private func extremumGradientKernel<T: KernelFloat>(
    _ input: UnsafePointer<T>, extremum: UnsafePointer<T>, gradient: UnsafePointer<T>,
    outer: Int, length: Int, inner: Int, _ inputGradient: UnsafeMutablePointer<T>
) {
    guard outer > 0, inner > 0, length > 0 else { return }
    // Chunks of 8-lane columns of one outer row; each chunk owns its columns of every l.
    let columnGrain = Swift.max(8, ((1 << 14) / length) & ~7)
    let columnChunks = (inner + columnGrain - 1) / columnGrain
    Parallel.forEachChunk(outer * columnChunks) { chunk in
        let row = chunk / columnChunks
        let start = (chunk % columnChunks) * columnGrain
        let end = Swift.min(inner, start + columnGrain)
        let source = input + row * length * inner, destination = inputGradient + row * length * inner
        let kept = extremum + row * inner, cotangent = gradient + row * inner
        let (zero, one) = (SIMD8<T>(repeating: 0), SIMD8<T>(repeating: 1))
        var column = start
        while column < end {
            let lanes = Swift.min(8, end - column)
            let target = lanes == 8 ? loadVector(kept + column) : loadPartialVector(kept + column, lanes)
            var count = zero
            for index in 0..<length {
                let pointer = source + index * inner + column
                let value = lanes == 8 ? loadVector(pointer) : loadPartialVector(pointer, lanes)
                count += T.select(T.equal(value, target), one, zero)
            }
            let g = lanes == 8 ? loadVector(cotangent + column) : loadPartialVector(cotangent + column, lanes)
            let share = g / count
            for index in 0..<length {
                let offset = index * inner + column
                let value = lanes == 8 ? loadVector(source + offset) : loadPartialVector(source + offset, lanes)
                let result = T.select(T.equal(value, target), share, zero)
                if lanes == 8 { storeVector(result, destination + offset) } else { storePartialVector(result, destination + offset, lanes) }
            }
            column += 8
        }
    }
}
