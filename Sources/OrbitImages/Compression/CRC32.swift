/// The CRC-32 of ISO 3309 / ITU-T V.42 used by gzip, zip and PNG (reflected polynomial 0xEDB88320,
/// initial value and final XOR 0xFFFFFFFF); `CRC32.checksum(Array("123456789".utf8)) == 0xCBF43926`.
///
/// Computed "slicing-by-8" (Kounavis and Berry, 2005): eight 256-entry tables let one step fold eight
/// input bytes, about 1-2 GB/s here against ~400 MB/s for the byte-at-a-time loop, which matters when
/// verifying the 47 MB MNIST training images.
public struct CRC32: Sendable {
    /// The running register, kept inverted as the algorithm defines it.
    private var register: UInt32 = 0xFFFF_FFFF

    /// A checksum of no bytes (value 0).
    public init() {}

    /// The checksum of everything passed to `update` so far.
    public var value: UInt32 { ~register }

    /// Extends the checksum with `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        var crc = register
        CRC32.tables.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            while remaining >= 8 {
                let low = crc ^ UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self))
                let high = UInt32(littleEndian: pointer.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                crc = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                pointer += 8
                remaining -= 8
            }
            while remaining > 0 {
                crc = t[Int((crc ^ UInt32(pointer.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
                pointer += 1
                remaining -= 1
            }
        }
        register = crc
    }

    /// Extends the checksum with `bytes`.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// Table k maps a byte to its CRC contribution when followed by k zero bytes: table 0 is the classic
    /// byte-at-a-time table, table k is table k-1 advanced by one more zero byte.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            tables[byte] = crc
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = tables[(slice - 1) * 256 + byte]
                tables[slice * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()
}
