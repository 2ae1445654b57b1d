/// How an element-wise kernel walks an output and the operands it reads.
///
/// The output is contiguous with shape `shape`; operand k is read with element strides `strides[k]`
/// (0 on axes where it is broadcast). Size-1 axes are dropped and adjacent axes that are contiguous for
/// every operand are merged, so the usual cases (equal shapes, a scalar operand, a per-channel bias)
/// become long inner rows. After merging, an operand's stride along the inner row is 0 or 1.
public struct StridedLayout: Sendable {
    /// Merged sizes; the last one is the row length (1 for a scalar output).
    let sizes: [Int]
    /// Per operand, per merged axis, in elements.
    let strides: [[Int]]

    public init(shape: [Int], operandStrides: [[Int]]) {
        var sizes: [Int] = []
        var strides = [[Int]](repeating: [], count: operandStrides.count)
        for axis in shape.indices where shape[axis] != 1 {
            let canMerge = !sizes.isEmpty && operandStrides.indices.allSatisfy { operand in
                strides[operand].last! == operandStrides[operand][axis] * shape[axis]
            }
            if canMerge {
                sizes[sizes.count - 1] *= shape[axis]
                for operand in operandStrides.indices {
                    strides[operand][strides[operand].count - 1] = operandStrides[operand][axis]
                }
            } else {
                sizes.append(shape[axis])
                for operand in operandStrides.indices { strides[operand].append(operandStrides[operand][axis]) }
            }
        }
        if sizes.isEmpty {
            sizes = [1]
            for operand in operandStrides.indices { strides[operand] = [0] }
        }
        self.sizes = sizes
        self.strides = strides
    }

    var rowLength: Int { sizes[sizes.count - 1] }
    var rowCount: Int { sizes.dropLast().reduce(1, *) }
    var elementCount: Int { rowLength * rowCount }

    /// Inner-row stride (0 or 1) of each operand.
    var rowStrides: [Int] { strides.map { $0[$0.count - 1] } }

    /// Calls `body(row, offsets)` for each row in `rows`, where `offsets[k]` is operand k's element offset
    /// at the start of the row. Offsets advance like an odometer, so there is no division per row.
    func forEachRow(in rows: Range<Int>, _ body: (_ row: Int, _ offsets: [Int]) -> Void) {
        guard !rows.isEmpty else { return }
        let outerRank = sizes.count - 1
        var index = [Int](repeating: 0, count: outerRank)
        var remainder = rows.lowerBound
        for axis in stride(from: outerRank - 1, through: 0, by: -1) {
            index[axis] = remainder % sizes[axis]
            remainder /= sizes[axis]
        }
        var offsets = strides.map { operandStrides in
            (0..<outerRank).reduce(0) { $0 + index[$1] * operandStrides[$1] }
        }
        for row in rows {
            body(row, offsets)
            var axis = outerRank - 1
            while axis >= 0 {
                index[axis] += 1
                for operand in strides.indices { offsets[operand] += strides[operand][axis] }
                if index[axis] < sizes[axis] { break }
                for operand in strides.indices { offsets[operand] -= strides[operand][axis] * sizes[axis] }
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Runs `body(start, length, offsets)` over pieces of the output in parallel: whole rows grouped into
    /// chunks of about 32K elements, or, for a single long row, ranges of it. `offsets` are the operands'
    /// offsets at the piece's first element.
    func forEachPiece(_ body: (_ outputStart: Int, _ length: Int, _ offsets: [Int]) -> Void) {
        let length = rowLength
        guard elementCount > 0 else { return }
        if rowCount == 1 {
            let rowStride = rowStrides
            Parallel.forEachRange(length, grain: 1 << 15) { range in
                body(range.lowerBound, range.count, rowStride.map { $0 * range.lowerBound })
            }
        } else {
            Parallel.forEachRange(rowCount, grain: max(1, (1 << 15) / length)) { rows in
                forEachRow(in: rows) { row, offsets in body(row * length, length, offsets) }
            }
        }
    }
}
