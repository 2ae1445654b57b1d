internal import OrbitKernels

/// Joins tensors along an existing axis; all other sizes must agree. Pullback: ḡ sliced back into
/// one piece per input.
public func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
    check(!tensors.isEmpty, "concatenate", "needs at least one tensor")
    let first = tensors[0]
    let axis = Shape.normalize(axis: axis, rank: first.rank, operation: "concatenate")
    for tensor in tensors {
        checkSameDType(first, tensor, "concatenate")
        let matches = tensor.rank == first.rank && tensor.shape.indices.allSatisfy { $0 == axis || tensor.shape[$0] == first.shape[$0] }
        check(matches, "concatenate", "shapes \(tensors.map(\.shape)) differ outside axis \(axis)")
    }
    var shape = first.shape
    shape[axis] = tensors.map { $0.shape[axis] }.reduce(0, +)
    let output = Tensor(uninitializedShape: shape, dtype: first.dtype)
    let inner = shape[(axis + 1)...].reduce(1, *)
    OrbitKernels.concatenate(tensors.map { UnsafeRawPointer($0.storage.pointer) }, widths: tensors.map { $0.shape[axis] * inner },
                             outer: shape[..<axis].reduce(1, *), output: output.storage.pointer, elementSize: first.dtype.byteCount)
    guard first.dtype.isFloatingPoint else { return output }
    let sizes = tensors.map { $0.shape[axis] }
    return record("concatenate", inputs: tensors, output: output) { g, needs in
        var start = 0
        return sizes.indices.map { index in
            defer { start += sizes[index] }
            return needs[index] ? g.slice(axis: axis, start..<(start + sizes[index])) : nil
        }
    }
}
