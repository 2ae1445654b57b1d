/// The decoding loop of fixed- and dynamic-Huffman blocks (RFC 1951 §3.2.5-3.2.6): where inflating
/// spends its time, so it works on local copies of the bit state and raw table and output pointers.
extension Inflater {
    /// Decodes literal/length and distance codes up to and including the end-of-block symbol.
    mutating func decodeCompressedBlock(literalLength: HuffmanTable, distance: HuffmanTable) throws(CompressionError) {
        var failure: CompressionError?
        literalLength.entries.withUnsafeBufferPointer { literalLengthEntries in
            distance.entries.withUnsafeBufferPointer { distanceEntries in
                do throws(CompressionError) {
                    try decodeSymbols(literalLength: literalLengthEntries.baseAddress!, literalLengthBits: literalLength.primaryBits,
                                      distance: distanceEntries.baseAddress!, distanceBits: distance.primaryBits)
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
    }

    private mutating func decodeSymbols(literalLength: UnsafePointer<UInt32>, literalLengthBits: Int,
                                        distance: UnsafePointer<UInt32>, distanceBits: Int) throws(CompressionError) {
        let literalLengthMask = UInt64(1) &<< UInt64(literalLengthBits) &- 1
        let distanceMask = UInt64(1) &<< UInt64(distanceBits) &- 1
        let inputCount = input.count
        var bits = bitBuffer, count = bitCount, position = self.position
        var out = output.pointer, produced = output.count, capacity = output.capacity

        /// Hands the local state back before leaving or calling out.
        func store(_ inflater: inout Inflater) {
            inflater.bitBuffer = bits
            inflater.bitCount = count
            inflater.position = position
            inflater.output.count = produced
        }

        while true {
            // Every symbol pair (length code, extra, distance code, extra) needs at most 48 bits.
            if count < 48 {
                if position + 8 <= inputCount {
                    let word = UnsafeRawPointer(input.baseAddress! + position).loadUnaligned(as: UInt64.self)
                    bits |= UInt64(littleEndian: word) &<< UInt64(count)
                    position += (63 - count) &>> 3
                    count |= 56
                } else {
                    store(&self)
                    try checkOverrun()
                    refill()
                    (bits, count, position) = (bitBuffer, bitCount, self.position)
                }
            }
            if produced + InflateOutput.slack > capacity {
                store(&self)
                try output.reserve(0)
                (out, capacity) = (output.pointer, output.capacity)
            }

            var entry = literalLength[Int(bits & literalLengthMask)]
            if entry & HuffmanEntry.kindMask == HuffmanEntry.link {
                let subtableMask = UInt64(1) &<< UInt64(entry & HuffmanEntry.lengthMask) &- 1
                entry = literalLength[Int(entry &>> 16) + Int((bits &>> UInt64(literalLengthBits)) & subtableMask)]
            }
            let codeLength = UInt64(entry & HuffmanEntry.lengthMask)
            bits &>>= codeLength
            count -= Int(codeLength)
            let kind = entry & HuffmanEntry.kindMask
            if kind == HuffmanEntry.literal {
                out[produced] = UInt8(truncatingIfNeeded: entry &>> 16)
                produced += 1
                continue
            }
            if kind != HuffmanEntry.baseAndExtra {
                store(&self)
                if kind == HuffmanEntry.endOfBlock {
                    try checkOverrun()
                    return
                }
                throw self.failure(.invalidSymbol(table: "literal/length", byteOffset: consumedByteOffset))
            }

            let lengthExtra = UInt64((entry &>> 8) & 0xF)
            let length = Int(entry &>> 16) + Int(bits & (UInt64(1) &<< lengthExtra &- 1))
            bits &>>= lengthExtra
            count -= Int(lengthExtra)

            var distanceEntry = distance[Int(bits & distanceMask)]
            if distanceEntry & HuffmanEntry.kindMask == HuffmanEntry.link {
                let subtableMask = UInt64(1) &<< UInt64(distanceEntry & HuffmanEntry.lengthMask) &- 1
                distanceEntry = distance[Int(distanceEntry &>> 16) + Int((bits &>> UInt64(distanceBits)) & subtableMask)]
            }
            guard distanceEntry & HuffmanEntry.kindMask == HuffmanEntry.baseAndExtra else {
                store(&self)
                throw self.failure(.invalidSymbol(table: "distance", byteOffset: consumedByteOffset))
            }
            let distanceCodeLength = UInt64(distanceEntry & HuffmanEntry.lengthMask)
            let distanceExtra = UInt64((distanceEntry &>> 8) & 0xF)
            bits &>>= distanceCodeLength
            let backward = Int(distanceEntry &>> 16) + Int(bits & (UInt64(1) &<< distanceExtra &- 1))
            bits &>>= distanceExtra
            count -= Int(distanceCodeLength + distanceExtra)
            guard backward <= produced else {
                store(&self)
                throw self.failure(.distanceTooFarBack(distance: backward, available: produced, byteOffset: consumedByteOffset))
            }

            copyMatch(to: out + produced, distance: backward, length: length)
            produced += length
        }
    }

    /// Copies `length` bytes from `distance` bytes back; the source may overlap the destination
    /// (distance < length repeats the last `distance` bytes). May write up to 7 bytes past the end,
    /// which the output's slack allows.
    @inline(__always)
    private func copyMatch(to destination: UnsafeMutablePointer<UInt8>, distance: Int, length: Int) {
        let source = destination - distance
        if distance >= 8 {
            // Each 8-byte word is read after the bytes it depends on were written, because distance >= 8.
            var offset = 0
            repeat {
                let word = UnsafeRawPointer(source + offset).loadUnaligned(as: UInt64.self)
                UnsafeMutableRawPointer(destination + offset).storeBytes(of: word, as: UInt64.self)
                offset += 8
            } while offset < length
        } else if distance == 1 {
            destination.update(repeating: source.pointee, count: length)
        } else {
            for offset in 0..<length { destination[offset] = source[offset] }
        }
    }
}
