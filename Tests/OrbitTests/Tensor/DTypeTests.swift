import Testing
import Orbit

@Test func dtypeByteCounts() {
    #expect(DType.float32.byteCount == 4)
    #expect(DType.float64.byteCount == 8)
    #expect(DType.int64.byteCount == 8)
    #expect(DType.bool.byteCount == 1)
}
