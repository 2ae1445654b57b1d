import Orbit
import Testing
import _OrbitTestSupport

// Index-map ops (slice, flip, roll, pad, index-select, rot90) and the int64 gather, checked by the
// exact adjoint identity (STYLE T3). Repeated indices and wrap-around make the pullback add several
// cotangents into one element; zero padding makes it drop some.

private let sliceSpecs: [AdjointSpec] = [
    AdjointSpec("slice axis 0 1..<3", [[4, 3]]) { $0[0].slice(axis: 0, 1..<3) },
    AdjointSpec("slice axis 1 step 2", [[2, 6, 3]]) { $0[0].slice(axis: 1, 0..<5, step: 2) },
    AdjointSpec("slice axis -1 step 3", [[2, 7]]) { $0[0].slice(axis: -1, 1..<7, step: 3) },
    AdjointSpec("slice step larger than range", [[5, 2]]) { $0[0].slice(axis: 0, 2..<4, step: 7) },
    AdjointSpec("slice empty", [[3, 4]]) { $0[0].slice(axis: 1, 2..<2) },
    AdjointSpec("slice then slice", [[6, 5]]) { $0[0].slice(axis: 0, 1..<6, step: 2).slice(axis: 1, 1..<4) },
    AdjointSpec("slice index axis 1", [[3, 4, 2]]) { $0[0].slice(axis: 1, index: 2) },
    AdjointSpec("slice index axis 0", [[3, 4, 2]]) { $0[0].slice(axis: 0, index: 0) },
    AdjointSpec("slice index axis -1", [[3, 4, 2]]) { $0[0].slice(axis: -1, index: 1) },
    AdjointSpec("slice index of a vector", [[5]]) { $0[0].slice(axis: 0, index: 4) },
]

private let flipAndRollSpecs: [AdjointSpec] = [
    AdjointSpec("flipped axis 0", [[3, 4]]) { $0[0].flipped(axes: [0]) },
    AdjointSpec("flipped axes 1 2", [[2, 3, 4]]) { $0[0].flipped(axes: [1, 2]) },
    AdjointSpec("flipped axis -1", [[2, 5]]) { $0[0].flipped(axes: [-1]) },
    AdjointSpec("flipped no axes", [[2, 3]]) { $0[0].flipped(axes: []) },
    AdjointSpec("rolled +1", [[5, 2]]) { $0[0].rolled(shifts: [1], axes: [0]) },
    AdjointSpec("rolled -2", [[2, 5]]) { $0[0].rolled(shifts: [-2], axes: [1]) },
    AdjointSpec("rolled 7 on size 5", [[5, 3]]) { $0[0].rolled(shifts: [7], axes: [0]) },
    AdjointSpec("rolled -11 on size 4", [[2, 4]]) { $0[0].rolled(shifts: [-11], axes: [-1]) },
    AdjointSpec("rolled by the size", [[3, 2]]) { $0[0].rolled(shifts: [3], axes: [0]) },
    AdjointSpec("rolled two axes", [[3, 2, 4]]) { $0[0].rolled(shifts: [1, -3], axes: [0, 2]) },
]

private let padSpecs: [AdjointSpec] = [
    AdjointSpec("padded zeros one axis", [[2, 3]]) { $0[0].padded([(1, 2)]) },
    AdjointSpec("padded zeros asymmetric", [[2, 3, 4]]) { $0[0].padded([(0, 1), (2, 0)]) },
    AdjointSpec("padded zeros all axes", [[2, 3]]) { $0[0].padded([(1, 0), (0, 3)]) },
    AdjointSpec("padded circular", [[2, 3, 4]]) { $0[0].padded([(1, 2), (2, 1)], mode: .circular) },
    AdjointSpec("padded circular wider than the axis", [[2, 3]]) { $0[0].padded([(4, 5)], mode: .circular) },
    AdjointSpec("padded reflect", [[2, 4, 3]]) { $0[0].padded([(1, 3), (2, 0)], mode: .reflect) },
    AdjointSpec("padded reflect size 2", [[3, 2]]) { $0[0].padded([(1, 1)], mode: .reflect) },
    AdjointSpec("padded reflect NCHW", [[1, 2, 4, 5]]) { $0[0].padded([(2, 1), (1, 3)], mode: .reflect) },
]

private let selectionSpecs: [AdjointSpec] = [
    AdjointSpec("indexSelect with repeats", [[3, 4, 2]]) { $0[0].indexSelect(axis: 1, [2, 0, 2, 2, 1]) },
    AdjointSpec("indexSelect axis 0", [[3, 2]]) { $0[0].indexSelect(axis: 0, [0, 0]) },
    AdjointSpec("indexSelect axis -1", [[3, 2]]) { $0[0].indexSelect(axis: -1, [1]) },
    AdjointSpec("indexSelect empty", [[3, 2]]) { $0[0].indexSelect(axis: 0, []) },
    AdjointSpec("gathered axis 1 repeated", [[3, 4]]) {
        $0[0].gathered(along: 1, indices: int64Tensor([0, 0, 3, 1, 1, 1, 2, 2, 3, 0, 3, 3, 1, 2, 0, 0, 3, 2], [3, 6]))
    },
    AdjointSpec("gathered axis 0", [[2, 3]]) {
        $0[0].gathered(along: 0, indices: int64Tensor([1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1], [4, 3]))
    },
    AdjointSpec("gathered axis -1 rank 3", [[2, 2, 3]]) {
        $0[0].gathered(along: -1, indices: int64Tensor([2, 2, 0, 1, 1, 1, 0, 2], [2, 2, 2]))
    },
    AdjointSpec("gathered middle axis", [[2, 3, 2]]) {
        $0[0].gathered(along: 1, indices: int64Tensor([2, 0, 2, 2, 1, 1, 0, 1], [2, 2, 2]))
    },
]

private let rotationSpecs: [AdjointSpec] = [0, 1, 2, 3, -1, 5].flatMap { k in
    [[2, 3, 4], [3, 5], [1, 2, 2, 3]].map { shape in
        AdjointSpec("rotated90 k = \(k)", [shape]) { $0[0].rotated90(k) }
    }
}

@Test(arguments: sliceSpecs + flipAndRollSpecs + padSpecs + selectionSpecs + rotationSpecs)
func indexingAdjoint(_ spec: AdjointSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}
