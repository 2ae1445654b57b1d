extension Tape {
    /// The reverse pass: runs the pullbacks from `root` back to the first node and returns the cotangent
    /// of every leaf reached, keyed by leaf node.
    ///
    /// Cotangents live in an array indexed by node. Fan-out is accumulated with one add; a broadcast
    /// cotangent is summed down to its input's shape here, in one place (STYLE C5); each node's cotangent
    /// and saved tensors are released as soon as its pullback has run, so memory falls during the pass.
    func backward(from root: Int, seed: Tensor) -> [Int: Tensor] {
        var nodes = takeNodes()
        var cotangents = [Tensor?](repeating: nil, count: root + 1)
        cotangents[root] = seed.detached()
        var leafCotangents: [Int: Tensor] = [:]

        let detector = AnomalyDetector.current
        Tape.$current.withValue(nil) {
            for index in stride(from: root, through: 0, by: -1) {
                guard let cotangent = cotangents[index] else { continue }
                cotangents[index] = nil
                guard let pullback = nodes[index].pullback else {
                    leafCotangents[index] = cotangent
                    continue
                }
                nodes[index].pullback = nil
                let node = nodes[index]
                // Ops inside a pullback are not reported on their own: a non-finite result is charged
                // to the primitive whose pullback produced it (checked below).
                let inputCotangents = AnomalyDetector.$current.withValue(nil) {
                    pullback(cotangent, node.inputs.map { $0 != nil })
                }
                for (position, input) in node.inputs.enumerated() {
                    guard let input, let inputCotangent = inputCotangents[position] else { continue }
                    let reduced = inputCotangent.summed(toShape: node.inputShapes[position])
                    if let detector {
                        detector.inspect(reduced, operation: node.operation, pass: .backward,
                                         inputShapes: node.inputShapes)
                    }
                    if let existing = cotangents[input] {
                        cotangents[input] = existing + reduced
                    } else {
                        cotangents[input] = reduced
                    }
                }
            }
        }
        return leafCotangents
    }
}
