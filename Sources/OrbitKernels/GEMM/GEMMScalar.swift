/// A scalar type with a register-blocked GEMM microkernel and the cache blocking that feeds it.
///
/// The blocked loops (`SerialGEMM.swift`), the packing and the parallel partition are written once,
/// generically over this protocol; only the microkernel is concrete per type (`Float` in
/// `MicrokernelFloat.swift`, `Double` in `MicrokernelDouble.swift`). See `README.md` for the blocking.
protocol GEMMScalar: BinaryFloatingPoint, Sendable {
    /// Rows of C computed by one microkernel call (mr).
    static var microRows: Int { get }
    /// Columns of C computed by one microkernel call (nr).
    static var microColumns: Int { get }
    /// Largest depth block (kc): a packed B micro-panel, kc x nr, must stay in L1.
    static var maximumDepthBlock: Int { get }
    /// Largest row block (mc): a packed A block, mc x kc, must stay in L2.
    static var maximumRowBlock: Int { get }
    /// Largest column block (nc): a packed B block, kc x nc, is streamed from L2/L3.
    static var maximumColumnBlock: Int { get }

    /// One mr x nr tile: `C = A·B` (`C += A·B` when `accumulate`), over `depth` steps.
    ///
    /// `a` is a packed A micro-panel (element (i, p) at `a[i * maximumDepthBlock + p]`: mr rows at a
    /// fixed stride, so the six broadcasts use constant offsets), `b` a packed B micro-panel
    /// (element (p, j) at `b[p * nr + j]`); C is row-major with row stride `cRowStride` and every one of
    /// its mr x nr elements is written (callers route partial tiles through a scratch tile).
    static func microkernel(
        depth: Int, a: UnsafePointer<Self>, b: UnsafePointer<Self>,
        c: UnsafeMutablePointer<Self>, cRowStride: Int, accumulate: Bool)

    /// Copies one row of a packed B micro-panel: nr contiguous elements, as whole vectors.
    static func copyPanelRow(from source: UnsafePointer<Self>, to target: UnsafeMutablePointer<Self>)

    /// One row of a packed B micro-panel from two sources: `target[t] = t < split ? first[t] : second[t]`
    /// for t < nr. Reads nr elements from both sources, whatever `split` is.
    static func blendPanelRow(
        first: UnsafePointer<Self>, second: UnsafePointer<Self>, split: Int, to target: UnsafeMutablePointer<Self>)
}

extension GEMMScalar {
    /// Elements in one micro-tile of C.
    static var microTileCount: Int { microRows * microColumns }
    /// Elements in one packed A micro-panel (mr rows of `maximumDepthBlock`, whatever the depth).
    static var leftPanelCount: Int { microRows * maximumDepthBlock }
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
