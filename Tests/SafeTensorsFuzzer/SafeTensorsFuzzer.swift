import Orbit

// libFuzzer harness for the safetensors reader. Built by `make fuzz` with
// `swiftc -sanitize=fuzzer,address`, outside SwiftPM (see the Makefile and README.md here).
//
// Properties checked on every input:
// 1. `SafeTensors.decode` returns or throws `SafeTensorsError`; it never traps, reads out of bounds
//    (AddressSanitizer) or allocates without bound.
// 2. Whatever it accepts can be encoded again, and decoding that gives identical names, metadata,
//    shapes, dtypes and element bits: the reader never hands out a tensor it cannot stand behind.

/// Small limits keep each run fast; the limit checks themselves are exercised either way.
private let limits = SafeTensors.Limits(maximumHeaderByteCount: 1 << 20, maximumNestingDepth: 64)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensorsDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: size > 0 ? data : nil, count: size)
    let file: SafeTensorsFile
    do {
        file = try SafeTensors.decode(input, limits: limits)
    } catch {
        _ = error.description  // every error must be describable
        return 0
    }
    let again: SafeTensorsFile
    do {
        again = try SafeTensors.decode(try SafeTensors.encode(file.tensors, metadata: file.metadata))
    } catch {
        fatalError("an accepted file did not survive re-encoding: \(error)")
    }
    guard again.names == file.names, again.metadata == file.metadata else {
        fatalError("re-encoding changed names or metadata: \(file.names) vs \(again.names)")
    }
    for (first, second) in zip(file.tensors, again.tensors) {
        guard first.tensor.shape == second.tensor.shape, first.tensor.dtype == second.tensor.dtype,
              bits(first.tensor) == bits(second.tensor) else {
            fatalError("re-encoding changed tensor \(first.name)")
        }
    }
    return 0
}

/// Element bit patterns, so NaN payloads compare exactly.
private func bits(_ tensor: Tensor) -> [UInt64] {
    switch tensor.dtype {
    case .float32: tensor.scalars(as: Float.self).map { UInt64($0.bitPattern) }
    case .float64: tensor.scalars(as: Double.self).map(\.bitPattern)
    case .int64: tensor.scalars(as: Int64.self).map { UInt64(bitPattern: $0) }
    case .bool: tensor.scalars(as: Bool.self).map { $0 ? 1 : 0 }
    }
}
