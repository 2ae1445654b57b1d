import Orbit
import Testing
import _OrbitTestSupport

// Data-movement ops against their index formulas (STYLE T10). No arithmetic is involved, so results must
// be exact, for every element size the kernels move (bool 1 byte, float32 4, float64 and int64 8).

private let allTypes: [DType] = [.float32, .float64, .int64, .bool]

/// A tensor of `shape` whose element at flat position i is i (mod 2 for bool), and that value list.
private func numbered(_ shape: [Int], _ dtype: DType) -> (tensor: Tensor, values: [Double]) {
    let values = (0..<shape.reduce(1, *)).map { dtype == .bool ? Double($0 % 2) : Double($0) - 7 }
    return (Tensor(values, shape: shape, dtype: dtype), values)
}

/// Builds the expected output of `shape` from a formula giving, per output index, the source index or nil (a zero).
private func expected(_ shape: [Int], from values: [Double], sourceShape: [Int], _ source: ([Int]) -> [Int]?) -> [Double] {
    (0..<shape.reduce(1, *)).map { flat in source(multiIndex(flat, in: shape)).map { values[flatIndex($0, in: sourceShape)] } ?? 0 }
}

private func expectExact(_ actual: Tensor, _ values: [Double], shape: [Int], dtype: DType, _ comment: Comment,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == shape, comment, sourceLocation: sourceLocation)
    #expect(actual.dtype == dtype, comment, sourceLocation: sourceLocation)
    #expect(actual.doubles == values, comment, sourceLocation: sourceLocation)
}

@Test(arguments: allTypes)
func rolledMovesContentByTheShift(_ dtype: DType) {
    let shape = [3, 4, 5]
    let (x, values) = numbered(shape, dtype)
    for (shifts, axes) in [([1], [0]), ([-2], [2]), ([7], [1]), ([-11], [-1]), ([2, -1], [0, 2]), ([0], [1])] {
        let result = x.rolled(shifts: shifts, axes: axes)
        let want = expected(shape, from: values, sourceShape: shape) { index in
            var source = index
            for (shift, axis) in zip(shifts, axes) {
                let axis = axis < 0 ? axis + 3 : axis
                source[axis] = ((index[axis] - shift) % shape[axis] + shape[axis]) % shape[axis]
            }
            return source
        }
        expectExact(result, want, shape: shape, dtype: dtype, "shifts \(shifts) axes \(axes)")
    }
}

/// Source position of padded position `index` along an axis of `size` padded by `before`.
private func paddedSource(_ index: Int, before: Int, size: Int, mode: PaddingMode) -> Int? {
    let position = index - before
    switch mode {
    case .zeros: return (0..<size).contains(position) ? position : nil
    case .circular: return ((position % size) + size) % size
    case .reflect:
        var mirrored = position
        while !(0..<size).contains(mirrored) { mirrored = mirrored < 0 ? -mirrored : 2 * (size - 1) - mirrored }
        return mirrored
    }
}

@Test(arguments: allTypes)
func paddedReadsZerosWrapsOrMirrors(_ dtype: DType) {
    let shape = [2, 4, 5]
    let (x, values) = numbered(shape, dtype)
    let widths: [(before: Int, after: Int)] = [(1, 3), (2, 0)]
    for mode in PaddingMode.allCases {
        let outputShape = [2, 4 + 4, 5 + 2]
        let want = expected(outputShape, from: values, sourceShape: shape) { index in
            guard let row = paddedSource(index[1], before: 1, size: 4, mode: mode),
                  let column = paddedSource(index[2], before: 2, size: 5, mode: mode) else { return nil }
            return [index[0], row, column]
        }
        expectExact(x.padded(widths, mode: mode), want, shape: outputShape, dtype: dtype, "\(mode)")
    }
    // Circular padding wider than the axis wraps more than once.
    let wide = x.padded([(6, 7)], mode: .circular)
    let wideWant = expected([2, 4, 18], from: values, sourceShape: shape) { [$0[0], $0[1], (($0[2] - 6) % 5 + 5) % 5] }
    expectExact(wide, wideWant, shape: [2, 4, 18], dtype: dtype, "circular wider than the axis")
}

@Test(arguments: allTypes)
func rotated90FollowsNumPy(_ dtype: DType) {
    // NumPy rot90(x, k, axes=(-2, -1)): k = 1 gives y[i, j] = x[j, W-1-i]; k = 2 gives x[H-1-i, W-1-j];
    // k = 3 (and -1) gives x[H-1-j, i].
    let shape = [2, 3, 4]
    let (x, values) = numbered(shape, dtype)
    for k in [0, 1, 2, 3, -1, 4, 5, -2] {
        let quarter = ((k % 4) + 4) % 4
        let outputShape = quarter % 2 == 1 ? [2, 4, 3] : shape
        let want = expected(outputShape, from: values, sourceShape: shape) { index in
            let (b, i, j) = (index[0], index[1], index[2])
            switch quarter {
            case 1: return [b, j, 4 - 1 - i]
            case 2: return [b, 3 - 1 - i, 4 - 1 - j]
            case 3: return [b, 3 - 1 - j, i]
            default: return index
            }
        }
        expectExact(x.rotated90(k), want, shape: outputShape, dtype: dtype, "k = \(k)")
    }
}

@Test(arguments: allTypes)
func flippedReversesEachAxis(_ dtype: DType) {
    let shape = [2, 3, 9]
    let (x, values) = numbered(shape, dtype)
    for axes in [[0], [1], [2], [-1], [0, 2], [0, 1, 2], []] {
        let normalized = axes.map { $0 < 0 ? $0 + 3 : $0 }
        let want = expected(shape, from: values, sourceShape: shape) { index in
            index.enumerated().map { normalized.contains($0.offset) ? shape[$0.offset] - 1 - $0.element : $0.element }
        }
        expectExact(x.flipped(axes: axes), want, shape: shape, dtype: dtype, "axes \(axes)")
    }
}

@Test(arguments: allTypes)
func slicesAndIndexSelectPickTheirIndices(_ dtype: DType) {
    let shape = [3, 9, 2]
    let (x, values) = numbered(shape, dtype)
    let stepped = x.slice(axis: 1, 1..<9, step: 3)
    expectExact(stepped, expected([3, 3, 2], from: values, sourceShape: shape) { [$0[0], 1 + 3 * $0[1], $0[2]] },
                shape: [3, 3, 2], dtype: dtype, "slice step 3")
    expectExact(x.slice(axis: -1, index: 1), expected([3, 9], from: values, sourceShape: shape) { [$0[0], $0[1], 1] },
                shape: [3, 9], dtype: dtype, "slice index")
    let picks = [8, 0, 8, 3]
    expectExact(x.indexSelect(axis: 1, picks), expected([3, 4, 2], from: values, sourceShape: shape) { [$0[0], picks[$0[1]], $0[2]] },
                shape: [3, 4, 2], dtype: dtype, "indexSelect")
}

@Test(arguments: allTypes)
func gatheredReadsAlongTheAxis(_ dtype: DType) {
    let shape = [2, 3, 4]
    let (x, values) = numbered(shape, dtype)
    let indices: [Int64] = [2, 0, 0, 1, 1, 1, 2, 2, 0, 2, 1, 0, 1, 0, 2, 2]
    let indexShape = [2, 2, 4]
    let result = x.gathered(along: 1, indices: Tensor(indices, shape: indexShape))
    let want = expected(indexShape, from: values, sourceShape: shape) { index in
        [index[0], Int(indices[flatIndex(index, in: indexShape)]), index[2]]
    }
    expectExact(result, want, shape: indexShape, dtype: dtype, "gathered along 1")
    // Along the last axis with as many indices as the axis is long, repeats included.
    let lastIndices: [Int64] = (0..<24).map { Int64(($0 * 7 + $0 / 5) % 4) }
    let last = x.gathered(along: -1, indices: Tensor(lastIndices, shape: shape))
    let lastWant = expected(shape, from: values, sourceShape: shape) { index in
        [index[0], index[1], Int(lastIndices[flatIndex(index, in: shape)])]
    }
    expectExact(last, lastWant, shape: [2, 3, 4], dtype: dtype, "gathered along -1")
}

@Test(arguments: allTypes)
func layoutOpsMoveElementsByTheirFormulas(_ dtype: DType) {
    let shape = [2, 3, 4]
    let (x, values) = numbered(shape, dtype)
    expectExact(x.permuted([2, 0, 1]), expected([4, 2, 3], from: values, sourceShape: shape) { [$0[1], $0[2], $0[0]] },
                shape: [4, 2, 3], dtype: dtype, "permuted")
    expectExact(x.transposed(), expected([2, 4, 3], from: values, sourceShape: shape) { [$0[0], $0[2], $0[1]] },
                shape: [2, 4, 3], dtype: dtype, "transposed")
    let column = numbered([3, 1], dtype)
    expectExact(column.tensor.expanded(to: [2, 3, 5]), expected([2, 3, 5], from: column.values, sourceShape: [3, 1]) { [$0[1], 0] },
                shape: [2, 3, 5], dtype: dtype, "expanded")
    expectExact(x.reshaped([4, -1]), values, shape: [4, 6], dtype: dtype, "reshaped")
    let other = numbered([2, 1, 4], dtype)
    let joined = concatenate([x, other.tensor, x], axis: 1)
    let joinedWant = expected([2, 7, 4], from: values + other.values, sourceShape: [values.count + other.values.count]) { index in
        switch index[1] {
        case 0..<3: return [flatIndex(index, in: shape)]
        case 3: return [values.count + flatIndex([index[0], 0, index[2]], in: [2, 1, 4])]
        default: return [flatIndex([index[0], index[1] - 4, index[2]], in: shape)]
        }
    }
    expectExact(joined, joinedWant, shape: [2, 7, 4], dtype: dtype, "concatenate")
    let stacked = stack([x, x], axis: 3)
    expectExact(stacked, expected([2, 3, 4, 2], from: values, sourceShape: shape) { Array($0.prefix(3)) },
                shape: [2, 3, 4, 2], dtype: dtype, "stack")
}

@Test func rollingTheSameAxisTwiceAddsTheShifts() {
    // PyTorch roll(x, shifts=(1, 1), dims=(0, 0)) shifts axis 0 by 2; Orbit keeps only the last shift.
    let x = Tensor([0, 1, 2, 3, 4] as [Double], shape: [5])
    #expect(x.rolled(shifts: [1, 1], axes: [0, 0]).doubles == [3, 4, 0, 1, 2])
}
