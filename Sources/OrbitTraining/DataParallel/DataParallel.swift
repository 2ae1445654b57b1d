import Orbit

/// The arithmetic of data-parallel training (Docs/Distributed.md), used by `Trainer` and usable in a loop
/// of your own: which examples of a global batch each rank trains on, and how gradients are summed.
///
/// With a global batch of B examples, rank r of N takes the contiguous block `shard(of: B, rank: r, size: N)`
/// of b_r examples and computes the mean loss over it, L_r = (1/b_r) Σ_{i∈S_r} ℓ_i, and its gradient g_r.
/// The gradient of the global mean loss L = (1/B) Σ_i ℓ_i is then
///
///     ∇L = Σ_r (b_r / B) · g_r
///
/// so each rank scales its gradient by b_r / B and the ranks sum (`sumGradients`): the update is the one a
/// single process makes with the whole batch (up to the order of floating-point additions).
public enum DataParallel {
    /// Elements per allreduce call: the gradients are packed into one flat buffer per dtype and sent in
    /// pieces of at most this many elements (2²⁰ float32 = 4 MiB; hidden-128 FERNN-V2's 739,584
    /// parameters go in one call).
    public static let defaultBucketElements = 1 << 20

    /// The examples of a global batch of `count` that rank `rank` of `size` trains on: contiguous blocks in
    /// rank order, the first `count % size` ranks taking one example more,
    ///
    ///     start(r) = r·⌊count/size⌋ + min(r, count mod size),  b_r = ⌊count/size⌋ + (r < count mod size ? 1 : 0),
    ///
    /// so the blocks of ranks 0, 1, ... put together are the batch in order (empty when count < size).
    public static func shard(of count: Int, rank: Int, size: Int) -> Range<Int> {
        requireArgument(count >= 0 && size >= 1 && (0..<size).contains(rank), "DataParallel.shard",
                        "needs count >= 0, size >= 1 and 0 <= rank < size, got count \(count), rank \(rank), size \(size)")
        let (base, extra) = count.quotientAndRemainder(dividingBy: size)
        let start = rank * base + min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }

    /// Σ_r weight_r · gradients_r over the ranks of `communicator` (every rank passes its own weight, b_r / B
    /// for the mean loss above), in the order of `parameters`, returned on every rank.
    ///
    /// The gradients of each dtype are packed into one flat buffer, followed by one flag per parameter (1
    /// when this rank has its gradient), and summed with allreduce in pieces of at most `bucketElements`
    /// elements. A parameter gets a gradient when any rank has one (missing ones count as zeros), so an
    /// optimizer leaves a parameter alone exactly when a single process with the whole batch would.
    public static func sumGradients(_ gradients: Gradients, weightedBy weight: Double, parameters: [Parameter],
                                    communicator: any GradientCommunicator,
                                    bucketElements: Int = defaultBucketElements) throws -> Gradients {
        requireArgument(bucketElements >= 1, "DataParallel.sumGradients", "bucketElements must be >= 1, got \(bucketElements)")
        var summed = Gradients()
        let float32 = parameters.filter { $0.dtype == .float32 }, float64 = parameters.filter { $0.dtype == .float64 }
        if !float32.isEmpty {
            try sum(Float.self, float32, gradients, weight: weight, into: &summed, bucketElements: bucketElements) {
                try communicator.allReduce($0, .sum)
            }
        }
        if !float64.isEmpty {
            try sum(Double.self, float64, gradients, weight: weight, into: &summed, bucketElements: bucketElements) {
                try communicator.allReduce($0, .sum)
            }
        }
        return summed
    }

    /// `sumGradients` for the parameters of one dtype: pack (scaled), allreduce piece by piece, unpack.
    private static func sum<Scalar: TensorScalar & BinaryFloatingPoint>(
        _: Scalar.Type, _ parameters: [Parameter], _ gradients: Gradients, weight: Double, into summed: inout Gradients,
        bucketElements: Int, allReduce: (UnsafeMutableBufferPointer<Scalar>) throws -> Void) throws {
        let sizes = parameters.map { $0.shape.reduce(1, *) }
        let flagsStart = sizes.reduce(0, +)
        // Layout: [gradient of parameter 0 | gradient of parameter 1 | ... | one flag per parameter].
        var flat = [Scalar](repeating: 0, count: flagsStart + parameters.count)
        var offset = 0
        for (index, parameter) in parameters.enumerated() {
            if gradients.contains(parameter) {
                let gradient = weight == 1 ? gradients[parameter] : gradients[parameter] * weight
                gradient.scalars(as: Scalar.self).withUnsafeBufferPointer { source in
                    flat.withUnsafeMutableBufferPointer { destination in
                        _ = UnsafeMutableBufferPointer(rebasing: destination[offset..<(offset + sizes[index])]).initialize(from: source)
                    }
                }
                flat[flagsStart + index] = 1
            }
            offset += sizes[index]
        }
        try flat.withUnsafeMutableBufferPointer { buffer in
            for start in stride(from: 0, to: buffer.count, by: bucketElements) {
                try allReduce(UnsafeMutableBufferPointer(rebasing: buffer[start..<min(start + bucketElements, buffer.count)]))
            }
        }
        offset = 0
        for (index, parameter) in parameters.enumerated() {
            if flat[flagsStart + index] > 0 {
                summed[parameter] = Tensor(Array(flat[offset..<(offset + sizes[index])]), shape: parameter.shape)
            }
            offset += sizes[index]
        }
    }
}
