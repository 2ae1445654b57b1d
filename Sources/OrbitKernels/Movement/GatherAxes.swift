/// The separable gather: one index map per axis,
///
///     output[i₀, …, iₙ] = source[m₀(i₀), …, mₙ(iₙ)],   or 0 when any mₖ(iₖ) = -1.
///
/// Slicing (with steps), flipping, rolling, zero/circular/reflect padding and index-select along an
/// axis are all this one operation with different maps. Its adjoint, `scatterAddAlongAxis`, sums a
/// cotangent back through one axis map at a time.
public func gatherAxes(source: UnsafeRawPointer, sourceShape: [Int], maps: [[Int]],
                       output: UnsafeMutableRawPointer, elementSize: Int) {
    switch elementSize {
    case 1: gatherAxes(source.assumingMemoryBound(to: UInt8.self), sourceShape, maps, output.assumingMemoryBound(to: UInt8.self))
    case 4: gatherAxes(source.assumingMemoryBound(to: UInt32.self), sourceShape, maps, output.assumingMemoryBound(to: UInt32.self))
    case 8: gatherAxes(source.assumingMemoryBound(to: UInt64.self), sourceShape, maps, output.assumingMemoryBound(to: UInt64.self))
    default: fatalError("gatherAxes: unsupported element size \(elementSize)")
    }
}

private func gatherAxes<T: FixedWidthInteger>(_ source: UnsafePointer<T>, _ sourceShape: [Int], _ maps: [[Int]],
                                              _ output: UnsafeMutablePointer<T>) {
    let rank = maps.count
    guard rank > 0 else { output[0] = source[0]; return }
    let outputShape = maps.map(\.count)
    let sourceStrides = rowMajorStrides(sourceShape)
    let rowLength = outputShape[rank - 1]
    let rowCount = outputShape.dropLast().reduce(1, *)
    guard rowLength > 0, rowCount > 0 else { return }
    let innerMap = maps[rank - 1]
    let innerStride = sourceStrides[rank - 1]
    // A map that is a contiguous run m(i) = m(0) + i lets the row be one block copy.
    let innerIsRun = innerMap[0] >= 0 && innerMap.enumerated().allSatisfy { $0.element == innerMap[0] + $0.offset }
    Parallel.forEachRange(rowCount, grain: max(1, (1 << 15) / rowLength)) { rows in
        for row in rows {
            var remainder = row
            var offset = 0
            var zeroRow = false
            for axis in stride(from: rank - 2, through: 0, by: -1) {
                let index = remainder % outputShape[axis]
                remainder /= outputShape[axis]
                let mapped = maps[axis][index]
                if mapped < 0 { zeroRow = true; break }
                offset += mapped * sourceStrides[axis]
            }
            let destination = output + row * rowLength
            if zeroRow {
                destination.update(repeating: 0, count: rowLength)
            } else if innerIsRun {
                destination.update(from: source + offset + innerMap[0] * innerStride, count: rowLength)
            } else {
                for index in 0..<rowLength {
                    let mapped = innerMap[index]
                    destination[index] = mapped < 0 ? 0 : source[offset + mapped * innerStride]
                }
            }
        }
    }
}

/// The adjoint of one axis of `gatherAxes`: with the cotangent viewed as [outer, map.count, inner],
/// output[o, j, i] = Σ over k with map[k] = j of cotangent[o, k, i]; output is [outer, sourceLength, inner]
/// and is overwritten. Each outer slab is summed by one thread in index order (deterministic).
public func scatterAddAlongAxis(_ cotangent: UnsafePointer<Float>, outer: Int, map: [Int], inner: Int,
                                sourceLength: Int, _ output: UnsafeMutablePointer<Float>) {
    scatterAdd(cotangent, outer, map, inner, sourceLength, output)
}

public func scatterAddAlongAxis(_ cotangent: UnsafePointer<Double>, outer: Int, map: [Int], inner: Int,
                                sourceLength: Int, _ output: UnsafeMutablePointer<Double>) {
    scatterAdd(cotangent, outer, map, inner, sourceLength, output)
}

private func scatterAdd<T: KernelFloat>(_ cotangent: UnsafePointer<T>, _ outer: Int, _ map: [Int], _ inner: Int,
                                        _ sourceLength: Int, _ output: UnsafeMutablePointer<T>) {
    let slab = sourceLength * inner
    guard outer > 0, slab > 0 else { return }
    Parallel.forEachRange(outer, grain: max(1, (1 << 15) / max(1, map.count * inner))) { slabs in
        for index in slabs {
            let destination = output + index * slab
            destination.update(repeating: 0, count: slab)
            let source = cotangent + index * map.count * inner
            for (position, target) in map.enumerated() where target >= 0 {
                let from = source + position * inner, to = destination + target * inner
                var column = 0
                while column + 8 <= inner {
                    storeVector(loadVector(to + column) + loadVector(from + column), to + column)
                    column += 8
                }
                while column < inner { to[column] += from[column]; column += 1 }
            }
        }
    }
}

func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in shape.indices.reversed() {
        strides[axis] = running
        running *= shape[axis]
    }
    return strides
}
