import Testing
@testable import OrbitKernels

/// Scalars with a public `gemm` entry point.
protocol GEMMTestScalar: KernelTestScalar {
    static func runGEMM(
        m: Int, n: Int, k: Int, a: UnsafePointer<Self>, aRowStride: Int, aColumnStride: Int,
        b: UnsafePointer<Self>, bRowStride: Int, bColumnStride: Int,
        c: UnsafeMutablePointer<Self>, cRowStride: Int, accumulate: Bool)
}

extension Float: GEMMTestScalar {
    static func runGEMM(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        b: UnsafePointer<Float>, bRowStride: Int, bColumnStride: Int,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool
    ) {
        gemm(m: m, n: n, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
             b: b, bRowStride: bRowStride, bColumnStride: bColumnStride,
             c: c, cRowStride: cRowStride, accumulate: accumulate)
    }
}

extension Double: GEMMTestScalar {
    static func runGEMM(
        m: Int, n: Int, k: Int, a: UnsafePointer<Double>, aRowStride: Int, aColumnStride: Int,
        b: UnsafePointer<Double>, bRowStride: Int, bColumnStride: Int,
        c: UnsafeMutablePointer<Double>, cRowStride: Int, accumulate: Bool
    ) {
        gemm(m: m, n: n, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
             b: b, bRowStride: bRowStride, bColumnStride: bColumnStride,
             c: c, cRowStride: cRowStride, accumulate: accumulate)
    }
}

/// One GEMM problem: sizes, operand layouts (transposed storage, padded rows) and accumulation.
struct GEMMProblem: Sendable, CustomTestStringConvertible {
    var m: Int, n: Int, k: Int
    var transposeA = false, transposeB = false, accumulate = false
    /// Extra elements at the end of every stored row of A, B and C (C's must stay untouched).
    var rowPadding = 0

    var testDescription: String {
        "\(m)x\(n)x\(k)\(transposeA ? " Aᵀ" : "")\(transposeB ? " Bᵀ" : "")\(accumulate ? " +=" : "") pad \(rowPadding)"
    }
}

/// Runs `problem` and returns (C, C before the call, A, B) as stored, with the strides used.
private struct GEMMRun<Scalar: GEMMTestScalar> {
    let problem: GEMMProblem
    var a: [Scalar], b: [Scalar], c: [Scalar], initialC: [Scalar]
    let aStrides: (row: Int, column: Int), bStrides: (row: Int, column: Int), cRowStride: Int

    init(_ problem: GEMMProblem, seed: UInt64) {
        self.problem = problem
        var random = SeededRandom(seed: seed)
        let (m, n, k, pad) = (problem.m, problem.n, problem.k, problem.rowPadding)
        // Transposed storage keeps A as k rows of m (element (i, p) at p * (m + pad) + i), likewise B.
        aStrides = problem.transposeA ? (1, m + pad) : (k + pad, 1)
        bStrides = problem.transposeB ? (1, k + pad) : (n + pad, 1)
        cRowStride = n + pad
        a = random.values(Scalar.self, count: problem.transposeA ? k * (m + pad) : m * (k + pad))
        b = random.values(Scalar.self, count: problem.transposeB ? n * (k + pad) : k * (n + pad))
        initialC = random.values(Scalar.self, count: m * cRowStride)
        c = initialC
    }

    mutating func run() {
        let (aStrides, bStrides, cRowStride, problem) = (aStrides, bStrides, cRowStride, problem)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    Scalar.runGEMM(
                        m: problem.m, n: problem.n, k: problem.k,
                        a: a.baseAddress!, aRowStride: aStrides.row, aColumnStride: aStrides.column,
                        b: b.baseAddress!, bRowStride: bStrides.row, bColumnStride: bStrides.column,
                        c: c.baseAddress!, cRowStride: cRowStride, accumulate: problem.accumulate)
                }
            }
        }
    }

    /// Runs the problem through one given kernel (the public entry point picks a kernel by shape).
    mutating func run<Kernel: GEMMKernel>(with kernel: Kernel.Type) where Kernel.Scalar == Scalar {
        let (aStrides, bStrides, cRowStride, problem) = (aStrides, bStrides, cRowStride, problem)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    parallelGEMM(
                        rows: problem.m, columns: problem.n, depth: problem.k,
                        a: StridedLeftOperand<Kernel>(
                            base: a.baseAddress!, rowStride: aStrides.row, columnStride: aStrides.column),
                        b: StridedRightOperand<Kernel>(
                            base: b.baseAddress!, rowStride: bStrides.row, columnStride: bStrides.column),
                        c: StridedOutput(base: c.baseAddress!, rowStride: cRowStride), accumulate: problem.accumulate)
                }
            }
        }
    }

    /// Largest error relative to its bound. The reference is the naive triple loop in Double; a
    /// length-k dot product plus an optional C term is within (k + 1)·u·(Σ|a||b| + |c0|) of the exact
    /// value (Higham, gamma_{k+1}, any summation order or FMA use). The reference's own rounding (in
    /// Double) is covered by the same bound, so the test allows 2·(k + 2)·u·magnitude.
    func worstErrorRatio() -> (ratio: Double, row: Int, column: Int) {
        var worst = (ratio: 0.0, row: 0, column: 0)
        for i in 0..<problem.m {
            for j in 0..<problem.n {
                var exact = problem.accumulate ? Double(initialC[i * cRowStride + j]) : 0
                var magnitude = abs(exact)
                for p in 0..<problem.k {
                    let term = Double(a[i * aStrides.row + p * aStrides.column])
                        * Double(b[p * bStrides.row + j * bStrides.column])
                    exact += term
                    magnitude += abs(term)
                }
                let bound = 2 * Double(problem.k + 2) * Scalar.unitRoundoff * magnitude
                let error = abs(Double(c[i * cRowStride + j]) - exact)
                let ratio = error == 0 ? 0 : (bound == 0 ? .infinity : error / bound)
                if !(ratio <= worst.ratio) { worst = (ratio, i, j) }
            }
        }
        return worst
    }

    /// The padding after each row of C must be exactly as before.
    var paddingUntouched: Bool {
        (0..<problem.m).allSatisfy { i in
            (problem.n..<cRowStride).allSatisfy { j in
                c[i * cRowStride + j] == initialC[i * cRowStride + j]
            }
        }
    }
}

private func checkGEMM<Scalar: GEMMTestScalar>(_ type: Scalar.Type, _ problem: GEMMProblem, seed: UInt64) {
    var run = GEMMRun<Scalar>(problem, seed: seed)
    run.run()
    check(run, "\(Scalar.self)")
}

private func check<Scalar: GEMMTestScalar>(_ run: GEMMRun<Scalar>, _ name: String) {
    let worst = run.worstErrorRatio()
    #expect(worst.ratio <= 1, "\(name) \(run.problem.testDescription): C[\(worst.row), \(worst.column)] off by \(worst.ratio)x the bound")
    #expect(run.paddingUntouched, "\(name) \(run.problem.testDescription): wrote past column n")
}

/// Every combination of sizes around the microkernel's edges (mr = 6; nr = 16 Float, 8 Double) and the
/// depth block (kc = 256), with layouts and accumulation drawn from a seeded generator.
private let edgeProblems: [GEMMProblem] = {
    var random = SeededRandom(seed: 7)
    var problems: [GEMMProblem] = []
    for m in [1, 5, 6, 7, 13] {
        for n in [1, 7, 8, 9, 15, 16, 17, 33] {
            for k in [1, 7, 255, 256, 257] {
                problems.append(GEMMProblem(
                    m: m, n: n, k: k, transposeA: random.nextBits() & 1 == 1,
                    transposeB: random.nextBits() & 1 == 1, accumulate: random.nextBits() & 1 == 1,
                    rowPadding: random.nextInt(in: 0...3)))
            }
        }
    }
    return problems
}()

/// Empty dimensions, vectors, and problems large enough for several row, column and depth blocks and
/// several parallel tiles.
private let structuralProblems: [GEMMProblem] = [
    GEMMProblem(m: 0, n: 5, k: 7), GEMMProblem(m: 5, n: 0, k: 7),
    GEMMProblem(m: 5, n: 7, k: 0), GEMMProblem(m: 5, n: 7, k: 0, accumulate: true),
    GEMMProblem(m: 1, n: 1, k: 1), GEMMProblem(m: 1, n: 300, k: 40), GEMMProblem(m: 300, n: 1, k: 40),
    GEMMProblem(m: 290, n: 1100, k: 3, rowPadding: 1),
    GEMMProblem(m: 150, n: 70, k: 600, transposeA: true, accumulate: true),
    GEMMProblem(m: 301, n: 203, k: 65, transposeB: true),
    GEMMProblem(m: 257, n: 300, k: 130, transposeA: true, transposeB: true, accumulate: true, rowPadding: 2),
]

@Test(arguments: edgeProblems + structuralProblems)
func gemmFloatMatchesNaiveLoop(problem: GEMMProblem) {
    checkGEMM(Float.self, problem, seed: UInt64(problem.m * 1_000_003 + problem.n * 1009 + problem.k))
}

@Test(arguments: edgeProblems + structuralProblems)
func gemmDoubleMatchesNaiveLoop(problem: GEMMProblem) {
    checkGEMM(Double.self, problem, seed: UInt64(problem.m * 1_000_003 + problem.n * 1009 + problem.k))
}

/// Each Float kernel on its own, around its own edges (4 x 24 and 6 x 16; kc = 256), since the
/// public entry point only picks the kernel that suits a shape.
@Test func everyFloatKernelMatchesNaiveLoop() {
    var random = SeededRandom(seed: 31)
    for m in [1, 3, 4, 5, 6, 7, 9, 13] {
        for n in [1, 15, 16, 17, 23, 24, 25, 49] {
            for k in [1, 255, 257] {
                let problem = GEMMProblem(
                    m: m, n: n, k: k, transposeA: random.nextBits() & 1 == 1, transposeB: random.nextBits() & 1 == 1,
                    accumulate: random.nextBits() & 1 == 1, rowPadding: random.nextInt(in: 0...2))
                var sixRows = GEMMRun<Float>(problem, seed: UInt64(m * 100 + n))
                var fourRows = sixRows
                sixRows.run(with: Float6x16Kernel.self)
                fourRows.run(with: Float4x24Kernel.self)
                check(sixRows, "6x16")
                check(fourRows, "4x24")
            }
        }
    }
    var large = GEMMRun<Float>(GEMMProblem(m: 301, n: 203, k: 600, accumulate: true), seed: 5)
    large.run(with: Float4x24Kernel.self)
    check(large, "4x24")
}

@Test func gemmWithEmptyDepthZeroesOrKeepsC() {
    for accumulate in [false, true] {
        var run = GEMMRun<Float>(GEMMProblem(m: 3, n: 4, k: 0, accumulate: accumulate), seed: 3)
        run.run()
        #expect(run.c == (accumulate ? run.initialC : [Float](repeating: 0, count: 12)))
    }
}

@Test func gemmIsIndependentOfThreadCount() {
    let problems = [
        GEMMProblem(m: 517, n: 389, k: 300, transposeB: true),
        GEMMProblem(m: 2000, n: 40, k: 100, accumulate: true),
        GEMMProblem(m: 128, n: 2000, k: 100, transposeA: true),
    ]
    for problem in problems {
        var single = GEMMRun<Float>(problem, seed: 11)
        var double = single
        withThreadCount(1) { single.run() }
        withThreadCount(2) { double.run() }
        #expect(bitwiseEqual(single.c, double.c), "Float \(problem.testDescription)")
        var singleDouble = GEMMRun<Double>(problem, seed: 12)
        var doubleDouble = singleDouble
        withThreadCount(1) { singleDouble.run() }
        withThreadCount(3) { doubleDouble.run() }
        #expect(bitwiseEqual(singleDouble.c, doubleDouble.c), "Double \(problem.testDescription)")
    }
}
