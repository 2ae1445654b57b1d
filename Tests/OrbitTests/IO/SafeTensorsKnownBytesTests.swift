import Orbit
import Testing

// Files written out byte by byte, with the header length computed by hand.

@Test func encodeProducesTheHandComputedBytes() throws {
    // {"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} is 54 bytes; 8 + 54 = 62, so 2 spaces of
    // padding make the header 56 bytes and put the data at byte 64.
    let expected: [UInt8] = [56, 0, 0, 0, 0, 0, 0, 0]
        + Array(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}  "#.utf8)
        + [0x00, 0x00, 0x80, 0x3F,   // 1.0 = 0x3F800000
           0x00, 0x00, 0x00, 0xC0]   // -2.0 = 0xC0000000
    #expect(try SafeTensors.encode([("x", Tensor([1, -2] as [Float], shape: [2]))]) == expected)
}

@Test func encodeWritesMetadataFirstWithSortedKeys() throws {
    // {"__metadata__":{"a":"1","b":"2"},"s":{"dtype":"BOOL","shape":[],"data_offsets":[0,1]}} is 87
    // bytes; 8 + 87 = 95, so 1 space of padding makes the header 88 bytes.
    let expected: [UInt8] = [88, 0, 0, 0, 0, 0, 0, 0]
        + Array(#"{"__metadata__":{"a":"1","b":"2"},"s":{"dtype":"BOOL","shape":[],"data_offsets":[0,1]}} "#.utf8)
        + [0x01]
    #expect(try SafeTensors.encode([("s", Tensor(true))], metadata: ["b": "2", "a": "1"]) == expected)
}

@Test func decodesAHandMadeFileWithEveryReadableDType() throws {
    let header = """
        {"f64":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},
         "i64":{"dtype":"I64","shape":[],"data_offsets":[8,16]},
         "bool":{"dtype":"BOOL","shape":[2],"data_offsets":[16,18]},
         "f16":{"dtype":"F16","shape":[2,2],"data_offsets":[18,26]},
         "bf16":{"dtype":"BF16","shape":[2],"data_offsets":[26,30]},
         "i8":{"dtype":"I8","shape":[3],"data_offsets":[30,33]},
         "u8":{"dtype":"U8","shape":[2],"data_offsets":[33,35]},
         "i16":{"dtype":"I16","shape":[2],"data_offsets":[35,39]},
         "u16":{"dtype":"U16","shape":[1],"data_offsets":[39,41]},
         "i32":{"dtype":"I32","shape":[1],"data_offsets":[41,45]},
         "u32":{"dtype":"U32","shape":[1],"data_offsets":[45,49]},
         "f32":{"dtype":"F32","shape":[1,1],"data_offsets":[49,53]}}\u{20}\u{20}\u{20}
        """
    let data: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0xF0, 0x3F,                     // F64 1.0
        0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,   // I64 -2
        1, 0,                                             // BOOL true, false
        0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0x00, 0x7C,   // F16 1, -2, 2^-24, inf
        0x80, 0x3F, 0x40, 0xC0,                           // BF16 1, -3
        0x80, 0xFF, 0x7F,                                 // I8 -128, -1, 127
        0x80, 0xFF,                                       // U8 128, 255
        0x00, 0x80, 0xFF, 0xFF,                           // I16 -32768, -1
        0xFF, 0xFF,                                       // U16 65535
        0x00, 0x00, 0x00, 0x80,                           // I32 -2^31
        0xFF, 0xFF, 0xFF, 0xFF,                           // U32 2^32 - 1
        0x00, 0x00, 0x20, 0xC1,                           // F32 -10
    ]
    let file = try SafeTensors.decode(safeTensorsBytes(header: header, data: data))
    #expect(file.names == ["f64", "i64", "bool", "f16", "bf16", "i8", "u8", "i16", "u16", "i32", "u32", "f32"])
    expectIdentical(try #require(file["f64"]), Tensor([1] as [Double], shape: [1]))
    expectIdentical(try #require(file["i64"]), Tensor(Int64(-2)))
    expectIdentical(try #require(file["bool"]), Tensor([true, false], shape: [2]))
    expectIdentical(try #require(file["f16"]), Tensor([1, -2, 0x1p-24, .infinity] as [Float], shape: [2, 2]))
    expectIdentical(try #require(file["bf16"]), Tensor([1, -3] as [Float], shape: [2]))
    expectIdentical(try #require(file["i8"]), Tensor([-128, -1, 127] as [Int64], shape: [3]))
    expectIdentical(try #require(file["u8"]), Tensor([128, 255] as [Int64], shape: [2]))
    expectIdentical(try #require(file["i16"]), Tensor([-32768, -1] as [Int64], shape: [2]))
    expectIdentical(try #require(file["u16"]), Tensor([65535] as [Int64], shape: [1]))
    expectIdentical(try #require(file["i32"]), Tensor([-2_147_483_648] as [Int64], shape: [1]))
    expectIdentical(try #require(file["u32"]), Tensor([4_294_967_295] as [Int64], shape: [1]))
    expectIdentical(try #require(file["f32"]), Tensor([-10] as [Float], shape: [1, 1]))
    #expect(file.metadata.isEmpty)
}

@Test func emptyHeaderObjectIsAnEmptyFile() throws {
    let file = try SafeTensors.decode(safeTensorsBytes(header: "{}      "))
    #expect(file.tensors.isEmpty && file.metadata.isEmpty)
}

#if arch(x86_64) || arch(arm64)
@Test func everyFloat16BitPatternWidensLikeSwiftsFloat16() throws {
    // All 65,536 half-precision values in one F16 tensor, compared with the standard library's conversion.
    let header = #"{"h":{"dtype":"F16","shape":[65536],"data_offsets":[0,131072]}}"#
    let data = (0..<65536).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    let values = try #require(try SafeTensors.decode(safeTensorsBytes(header: header, data: data))["h"]).scalars(as: Float.self)
    var mismatches = 0
    for bits in 0..<65536 {
        let expected = Float(Float16(bitPattern: UInt16(bits)))
        let actual = values[bits]
        let same = expected.isNaN
            ? actual.isNaN && actual.sign == expected.sign
            : actual.bitPattern == expected.bitPattern
        if !same { mismatches += 1 }
    }
    #expect(mismatches == 0)
}
#endif
