/// A register-blocked GEMM microkernel and the cache blocking that feeds it.
///
/// The blocked loops (`BlockedGEMM.swift`), the packing and the parallel partition are written once,
/// generically over this protocol; each kernel is concrete (`MicrokernelFloat.swift`,
/// `MicrokernelDouble.swift`). Entry points pick a kernel per problem with `GEMMKernelChoice`.
/// See `README.md` for the blocking.
protocol GEMMKernel {
    associatedtype Scalar: BinaryFloatingPoint
    /// The SIMD vector one accumulator holds (a 256-bit ymm register on AVX2).
    associatedtype Vector: SIMD where Vector.Scalar == Scalar

    /// Rows of C computed by one microkernel call (mr).
    static var microRows: Int { get }
    /// Columns of C computed by one microkernel call (nr), a multiple of the vector width.
    static var microColumns: Int { get }
    /// Largest depth block (kc): a packed B micro-panel, kc x nr, must stay in L1.
    static var maximumDepthBlock: Int { get }
    /// Largest row block (mc): a packed A block, mc x kc, must stay in L2.
    static var maximumRowBlock: Int { get }
    /// Largest column block (nc): a packed B block, kc x nc, is streamed from L2/L3.
    static var maximumColumnBlock: Int { get }
    /// Row stride of a packed A micro-panel (at least kc). A compile-time constant, so the
    /// microkernel addresses the panel rows with immediate offsets.
    static var panelStride: Int { get }

    /// One mr x nr tile: `C = A·B` (`C += A·B` when `accumulate`), over `depth` steps.
    ///
    /// `a` is a packed A micro-panel (element (i, p) at `a[i * panelStride + p]`), `b` a packed B
    /// micro-panel (element (p, j) at `b[p * nr + j]`); C is row-major with row stride `cRowStride` and
    /// every one of its mr x nr elements is written (callers route partial tiles through a scratch tile).
    static func microkernel(
        depth: Int, a: UnsafePointer<Scalar>, b: UnsafePointer<Scalar>,
        c: UnsafeMutablePointer<Scalar>, cRowStride: Int, accumulate: Bool)

    /// One row of a packed B micro-panel from two sources: `target[t] = t < split ? first[t] : second[t]`
    /// for t < nr. Reads nr elements from both sources, whatever `split` is.
    static func blendPanelRow(
        first: UnsafePointer<Scalar>, second: UnsafePointer<Scalar>, split: Int, to target: UnsafeMutablePointer<Scalar>)

    /// Packs nr full columns of B from a transposed view (`TransposedPacking.swift`):
    /// `panel[p * nr + j] = source[p + j * columnStride]` for p < depth.
    static func packTransposedPanel(
        source: UnsafePointer<Scalar>, columnStride: Int, depth: Int, into panel: UnsafeMutablePointer<Scalar>)
}

extension GEMMKernel {
    /// Elements in one micro-tile of C.
    static var microTileCount: Int { microRows * microColumns }
    /// Elements in one packed A micro-panel (mr rows of `panelStride`, whatever the depth).
    static var leftPanelCount: Int { microRows * panelStride }
    static var vectorsPerPanelRow: Int { microColumns / Vector.scalarCount }

    /// Copies one row of a packed B micro-panel: nr contiguous elements, as whole vectors.
    @inline(__always)
    static func copyPanelRow(from source: UnsafePointer<Scalar>, to target: UnsafeMutablePointer<Scalar>) {
        let stride = MemoryLayout<Vector>.stride
        for vector in 0..<vectorsPerPanelRow {
            UnsafeMutableRawPointer(target).storeBytes(
                of: UnsafeRawPointer(source).loadUnaligned(fromByteOffset: vector * stride, as: Vector.self),
                toByteOffset: vector * stride, as: Vector.self)
        }
    }

    /// Elements of C the kernel computes for an m x n problem, padding included.
    static func paddedArea(rows: Int, columns: Int) -> Int {
        (rows + microRows - 1) / microRows * microRows * ((columns + microColumns - 1) / microColumns * microColumns)
    }
}

// The blends are written per vector type: the generic SIMD comparison compiles to a loop over lanes,
// the concrete one to a single vector compare (hoisted out of the row loop, since `split` is fixed).
extension GEMMKernel where Vector == SIMD8<Float> {
    @inline(__always)
    static func blendPanelRow(
        first: UnsafePointer<Float>, second: UnsafePointer<Float>, split: Int, to target: UnsafeMutablePointer<Float>
    ) {
        let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        for vector in 0..<vectorsPerPanelRow {
            let offset = 32 * vector
            let fromFirst = lanes .< SIMD8<Int32>(repeating: Int32(split - 8 * vector))
            let blended = UnsafeRawPointer(second).loadUnaligned(fromByteOffset: offset, as: Vector.self)
                .replacing(with: UnsafeRawPointer(first).loadUnaligned(fromByteOffset: offset, as: Vector.self), where: fromFirst)
            UnsafeMutableRawPointer(target).storeBytes(of: blended, toByteOffset: offset, as: Vector.self)
        }
    }
}

extension GEMMKernel where Vector == SIMD4<Double> {
    @inline(__always)
    static func blendPanelRow(
        first: UnsafePointer<Double>, second: UnsafePointer<Double>, split: Int, to target: UnsafeMutablePointer<Double>
    ) {
        let lanes = SIMD4<Int64>(0, 1, 2, 3)
        for vector in 0..<vectorsPerPanelRow {
            let offset = 32 * vector
            let fromFirst = lanes .< SIMD4<Int64>(repeating: Int64(split - 4 * vector))
            let blended = UnsafeRawPointer(second).loadUnaligned(fromByteOffset: offset, as: Vector.self)
                .replacing(with: UnsafeRawPointer(first).loadUnaligned(fromByteOffset: offset, as: Vector.self), where: fromFirst)
            UnsafeMutableRawPointer(target).storeBytes(of: blended, toByteOffset: offset, as: Vector.self)
        }
    }
}

/// Which kernel a problem uses: the one that wastes the fewest multiply-adds on edge padding
/// (e.g. 32 output channels fill 8 rows of 4 exactly but leave 4 of 36 rows empty with 6).
/// Both Float kernels run at the same speed on full tiles, so waste decides; ties go to 6 x 16.
enum GEMMKernelChoice {
    static func prefersFourRows(rows: Int, columns: Int) -> Bool {
        Float4x24Kernel.paddedArea(rows: rows, columns: columns) < Float6x16Kernel.paddedArea(rows: rows, columns: columns)
    }
}

/// Splits `count` into the fewest blocks of at most `maximum`, rounded up to a multiple of `multiple`,
/// and returns that block size: equal blocks waste less in the last block than a fixed size does
/// (e.g. k = 576 with kc <= 256 gives 3 x 192 rather than 256 + 256 + 64).
func balancedBlockSize(_ count: Int, maximum: Int, multiple: Int) -> Int {
    guard count > 0 else { return multiple }
    let blocks = (count + maximum - 1) / maximum
    let size = (count + blocks - 1) / blocks
    return (size + multiple - 1) / multiple * multiple
}
