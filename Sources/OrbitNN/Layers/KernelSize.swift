import Orbit

extension PerAxisConvertible {
    /// The side k of a square k×k kernel, given as `k` or `[k, k]`: the equivariant layers rotate their
    /// filters, so they take square kernels only. Stops with a message naming `layer` for any other
    /// value or for k < 1.
    func squareKernelSide(_ layer: String) -> Int {
        let values = perAxis.values
        let side = values.first ?? 0
        requireArgument(side >= 1 && values.allSatisfy { $0 == side } && values.count <= 2, layer,
                        "kernel size must be a positive k or [k, k] (square kernels only), got \(values)")
        return side
    }
}
