import Foundation
import Orbit
import Testing
import _OrbitTestSupport

// Sizes above the kernels' parallel grains (2¹⁵ elements per chunk for binary ops, 2¹⁶ for unary ops and
// single long reductions, 256 columns for strided reductions), so the work is cut into several chunks
// whose seams must not show (STYLE K5/T10).

/// 70 001 = 2¹⁶ + 4 465: two unary chunks, three binary chunks, five pieces of 2¹⁴ for a long reduction
/// (which takes this path above 2¹⁶ elements), and a SIMD tail of 1.
private let largeCount = 70_001

/// Small integers (0 to 3) as float32: every sum below 2²⁴ is exact, so results must match exactly.
private func smallIntegers(_ count: Int, seed: UInt64) -> [Double] {
    var generator = RandomGenerator(seed: seed)
    return (0..<count).map { _ in Double(generator.next() % 4) }
}

@Test func elementwiseOpsAcrossParallelChunks() {
    let x = referenceInput([largeCount], seed: 500, dtype: .float32, lowerBound: 0.1, upperBound: 2)
    let y = referenceInput([largeCount], seed: 501, dtype: .float32, lowerBound: 0.1, upperBound: 2)
    let (a, b) = (x.doubles, y.doubles)
    #expect((x + y).doubles == zip(a, b).map { Double(Float($0 + $1)) })
    #expect((x * 3.0).doubles == a.map { Double(Float($0 * 3)) })
    #expect((2.0 - x).doubles == a.map { Double(Float(2 - $0)) })
    expectWithinUlps(exp(x), a.map { Foundation.exp($0) }, ulps: 1, "exp")
    // Rows of 40 000 against one broadcast row: each row is cut into two chunks.
    let rows = referenceInput([3, 40_000], seed: 502, dtype: .float32)
    let row = referenceInput([40_000], seed: 503, dtype: .float32)
    let rowValues = row.doubles
    #expect((rows - row).doubles == rows.doubles.enumerated().map { Double(Float($0.element - rowValues[$0.offset % 40_000])) })
}

@Test func reductionsAcrossParallelChunks() {
    let values = smallIntegers(largeCount, seed: 504)
    let x = Tensor(values, shape: [largeCount], dtype: .float32)
    #expect(x.sum().item == values.reduce(0, +))
    #expect(x.max().item == values.max())
    // Strided reductions (reduced axis outer) with more than 256 columns: two column chunks.
    let matrixValues = smallIntegers(3 * 300, seed: 505)
    let matrix = Tensor(matrixValues, shape: [3, 300], dtype: .float32)
    let columnSums: [Double] = (0..<300).map { column in (0..<3).map { matrixValues[$0 * 300 + column] }.reduce(0, +) }
    #expect(matrix.sum(axis: 0).doubles == columnSums)
    let blockValues = smallIntegers(2 * 5 * 260, seed: 506)
    let block = Tensor(blockValues, shape: [2, 5, 260], dtype: .float32)
    let blockSums = (0..<520).map { slot in
        let (outer, column) = (slot / 260, slot % 260)
        return (0..<5).map { blockValues[(outer * 5 + $0) * 260 + column] }.reduce(0, +)
    }
    #expect(block.sum(axis: 1).doubles == blockSums)
    // Many short rows (contiguous path, rows split across chunks).
    let rowValues = smallIntegers(5000 * 9, seed: 507)
    let manyRows = Tensor(rowValues, shape: [5000, 9], dtype: .float32)
    #expect(manyRows.max(axis: 1).doubles == (0..<5000).map { rowValues[(9 * $0)..<(9 * $0 + 9)].max()! })
}

@Test func dataMovementAcrossParallelChunks() {
    let values = (0..<(300 * 250)).map { Double($0) }
    let x = Tensor(values, shape: [300, 250], dtype: .float32)
    // Transposed [250, 300]: element (i, j) is x[j, i].
    let transposedWant: [Double] = (0..<(250 * 300)).map { flat in
        let (i, j) = (flat / 300, flat % 300)
        return values[j * 250 + i]
    }
    #expect(x.transposed().doubles == transposedWant)
    // Rolled by 7 rows: row r reads row r - 7 (mod 300).
    let rolledWant: [Double] = values.indices.map { flat in
        let (row, column) = (flat / 250, flat % 250)
        return values[((row - 7 + 300) % 300) * 250 + column]
    }
    #expect(x.rolled(shifts: [7], axes: [0]).doubles == rolledWant)
}
