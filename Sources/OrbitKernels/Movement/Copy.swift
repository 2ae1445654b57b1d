/// Data movement without arithmetic, for any element type: kernels take raw pointers plus the element
/// size (1, 4 or 8 bytes) and move elements as unsigned integers of that size.

/// Copies a strided view into a contiguous output: output element i (row-major over the layout's output
/// shape) is source[offset(i)], where operand 0's strides give the offset. Transposes (any inner
/// stride) and broadcasts (stride 0) both go through here.
public func copyStrided(_ layout: StridedLayout, source: UnsafeRawPointer, output: UnsafeMutableRawPointer, elementSize: Int) {
    switch elementSize {
    case 1: copyStrided(layout, source.assumingMemoryBound(to: UInt8.self), output.assumingMemoryBound(to: UInt8.self))
    case 4: copyStrided(layout, source.assumingMemoryBound(to: UInt32.self), output.assumingMemoryBound(to: UInt32.self))
    case 8: copyStrided(layout, source.assumingMemoryBound(to: UInt64.self), output.assumingMemoryBound(to: UInt64.self))
    default: fatalError("copyStrided: unsupported element size \(elementSize)")
    }
}

private func copyStrided<T>(_ layout: StridedLayout, _ source: UnsafePointer<T>, _ output: UnsafeMutablePointer<T>) {
    let rowStride = layout.strides[0][layout.strides[0].count - 1]
    layout.forEachPiece { start, length, offsets in
        let row = source + offsets[0]
        let destination = output + start
        switch rowStride {
        case 1: destination.update(from: row, count: length)
        case 0: destination.update(repeating: row[0], count: length)
        default: for index in 0..<length { destination[index] = row[index * rowStride] }
        }
    }
}

/// Concatenation along an axis. Each input is viewed as [outer, inputWidths[k]] (its axis size times
/// the inner size, in elements) and the output as [outer, sum of widths].
public func concatenate(_ inputs: [UnsafeRawPointer], widths: [Int], outer: Int,
                        output: UnsafeMutableRawPointer, elementSize: Int) {
    let totalWidth = widths.reduce(0, +) * elementSize
    guard totalWidth > 0 else { return }
    Parallel.forEachRange(outer, grain: max(1, (1 << 17) / totalWidth)) { rows in
        for row in rows {
            var column = 0
            for (input, width) in zip(inputs, widths) {
                let bytes = width * elementSize
                (output + row * totalWidth + column).copyMemory(from: input + row * bytes, byteCount: bytes)
                column += bytes
            }
        }
    }
}
