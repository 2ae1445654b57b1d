/// Filling, conversion between element types, and the non-finite scan used by anomaly detection.

@inlinable
public func fill<T>(_ output: UnsafeMutableBufferPointer<T>, with value: T) {
    guard let base = output.baseAddress else { return }
    Parallel.forEachRange(output.count, grain: 1 << 17) { range in
        (base + range.lowerBound).update(repeating: value, count: range.count)
    }
}

/// Element-wise conversion with Swift's initializer semantics (float to integer truncates toward zero).
@inlinable
public func convert<Source, Destination>(_ input: UnsafeBufferPointer<Source>,
                                         _ output: UnsafeMutablePointer<Destination>,
                                         _ conversion: (Source) -> Destination) {
    guard let base = input.baseAddress else { return }
    Parallel.forEachRange(input.count, grain: 1 << 16) { range in
        for index in range { output[index] = conversion(base[index]) }
    }
}

/// How many elements are NaN or infinite.
@inlinable
public func countNonFinite<T: BinaryFloatingPoint>(_ input: UnsafeBufferPointer<T>) -> Int {
    var count = 0
    for value in input where !value.isFinite { count += 1 }
    return count
}
