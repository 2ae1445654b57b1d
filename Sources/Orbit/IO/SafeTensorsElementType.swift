/// The element types of a safetensors file that Orbit reads, and how each maps to an Orbit `DType`.
///
/// F32, F64, I64 and BOOL are Orbit dtypes and are copied unchanged. The others are widened to the
/// nearest Orbit dtype, exactly (no value changes, NaN payloads kept):
///
/// | file       | Orbit     | how                                                        |
/// |------------|-----------|------------------------------------------------------------|
/// | F16        | float32   | IEEE binary16 -> binary32 (subnormals become normal floats) |
/// | BF16       | float32   | the 16 bits become the high half of a binary32             |
/// | I8 I16 I32 | int64     | sign-extended                                              |
/// | U8 U16 U32 | int64     | zero-extended                                              |
///
/// Not read: U64 (values above Int64.max), complex and 8-bit or smaller float formats. Writing uses
/// only F32, F64, I64 and BOOL, so a file read with widening and written back grows.
enum SafeTensorsElementType: String, CaseIterable {
    case float32 = "F32", float64 = "F64", int64 = "I64", bool = "BOOL"
    case float16 = "F16", bfloat16 = "BF16"
    case int8 = "I8", int16 = "I16", int32 = "I32"
    case uint8 = "U8", uint16 = "U16", uint32 = "U32"

    /// Bytes per element in the file.
    var byteCount: Int {
        switch self {
        case .bool, .int8, .uint8: 1
        case .float16, .bfloat16, .int16, .uint16: 2
        case .float32, .int32, .uint32: 4
        case .float64, .int64: 8
        }
    }

    /// The Orbit dtype a tensor of this type is read as.
    var dtype: DType {
        switch self {
        case .float32, .float16, .bfloat16: .float32
        case .float64: .float64
        case .int64, .int8, .int16, .int32, .uint8, .uint16, .uint32: .int64
        case .bool: .bool
        }
    }

    /// The file type Orbit writes for a dtype.
    init(writing dtype: DType) {
        switch dtype {
        case .float32: self = .float32
        case .float64: self = .float64
        case .int64: self = .int64
        case .bool: self = .bool
        }
    }

    /// Converts `count` little-endian elements of this type at `source` into `destination`, a tensor of
    /// `self.dtype` and `count` elements. Returns the index of the first BOOL byte that is neither 0
    /// nor 1 (then `destination` is partly filled and must be discarded), or nil when all went well.
    func convert(_ source: UnsafeRawBufferPointer, count: Int, into destination: Tensor) -> Int? {
        switch self {
        case .float32: fill(destination, count) { Float(bitPattern: load(source, $0, UInt32.self)) }
        case .float64: fill(destination, count) { Double(bitPattern: load(source, $0, UInt64.self)) }
        case .int64: fill(destination, count) { Int64(bitPattern: load(source, $0, UInt64.self)) }
        case .float16: fill(destination, count) { floatFromBinary16(load(source, $0, UInt16.self)) }
        case .bfloat16: fill(destination, count) { Float(bitPattern: UInt32(load(source, $0, UInt16.self)) << 16) }
        case .int8: fill(destination, count) { Int64(Int8(bitPattern: source[$0])) }
        case .int16: fill(destination, count) { Int64(Int16(bitPattern: load(source, $0, UInt16.self))) }
        case .int32: fill(destination, count) { Int64(Int32(bitPattern: load(source, $0, UInt32.self))) }
        case .uint8: fill(destination, count) { Int64(source[$0]) }
        case .uint16: fill(destination, count) { Int64(load(source, $0, UInt16.self)) }
        case .uint32: fill(destination, count) { Int64(load(source, $0, UInt32.self)) }
        case .bool:
            // Any byte but 0 and 1 is not a valid Swift Bool, so the bytes are checked, never reinterpreted.
            let values = destination.pointer(Bool.self)
            for index in 0..<count {
                switch source[index] {
                case 0: values[index] = false
                case 1: values[index] = true
                default: return index
                }
            }
        }
        return nil
    }
}

/// Writes `element(index)` for every index into the tensor's storage.
@inline(__always)
private func fill<Scalar>(_ destination: Tensor, _ count: Int, _ element: (Int) -> Scalar) {
    let values = destination.pointer(Scalar.self)
    for index in 0..<count { values[index] = element(index) }
}

/// The element at `index` of a little-endian array of `Bits` (any alignment).
@inline(__always)
private func load<Bits: FixedWidthInteger>(_ source: UnsafeRawBufferPointer, _ index: Int, _: Bits.Type) -> Bits {
    Bits(littleEndian: source.loadUnaligned(fromByteOffset: index &* MemoryLayout<Bits>.size, as: Bits.self))
}

/// IEEE 754 binary16 to binary32, exactly: every half value (and NaN payload) has a float equal to it.
///
/// Normal halves rebias the exponent (15 -> 127) and shift the 10-bit mantissa up by 13; subnormal
/// halves are mantissa x 2^-24, which is a normal float; infinities and NaNs keep their payload.
func floatFromBinary16(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x03FF)
    switch exponent {
    case 0x1F:
        return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
    case 0:
        let magnitude = Float(mantissa) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    default:
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }
}
