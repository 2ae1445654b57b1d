/// Lays out a safetensors file (format in `SafeTensors`) and produces its bytes in chunks, so that a
/// file can be streamed to disk without first building a copy of every tensor in memory.
struct SafeTensorsEncoder {
    /// The header length field and the padded JSON header.
    let prefix: [UInt8]
    let tensors: [Tensor]
    /// Total size of the file in bytes.
    let fileByteCount: Int

    /// The header is padded with spaces so that the data buffer starts at a multiple of this.
    static let dataAlignment = 8
    /// Largest chunk of tensor data converted at once by `forEachChunk`.
    static let chunkByteCount = 1 << 20

    init(_ namedTensors: [(name: String, tensor: Tensor)], metadata: [String: String]) throws(SafeTensorsError) {
        var seen = Set<String>()
        for (name, _) in namedTensors {
            guard name != SafeTensors.metadataKey else { throw .reservedName(name) }
            guard seen.insert(name).inserted else { throw .duplicateName(name) }
        }
        var json = "{"
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
            members.append("\(jsonString(SafeTensors.metadataKey)):{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in namedTensors {
            let end = offset + tensor.scalarCount * tensor.dtype.byteCount
            let dtype = SafeTensorsElementType(writing: tensor.dtype).rawValue
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            members.append("\(jsonString(name)):{\"dtype\":\"\(dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        json += members.joined(separator: ",") + "}"

        var header = Array(json.utf8)
        let lengthField = SafeTensorsDecoder.lengthFieldByteCount
        let padding = (Self.dataAlignment - (lengthField + header.count) % Self.dataAlignment) % Self.dataAlignment
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        let length = UInt64(header.count)
        var prefix = (0..<lengthField).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }  // little-endian
        prefix.append(contentsOf: header)

        self.prefix = prefix
        self.tensors = namedTensors.map(\.tensor)
        self.fileByteCount = prefix.count + offset
    }

    /// Calls `body` with consecutive pieces of the file, from the header length to the last data byte.
    func forEachChunk<Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws(Failure) {
        // `withUnsafeBytes` rethrows untyped errors; carry the typed error out through a Result.
        try prefix.withUnsafeBytes { bytes in Result { () throws(Failure) in try body(bytes) } }.get()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkByteCount, alignment: 64)
        defer { chunk.deallocate() }
        for tensor in tensors {
            let perChunk = Self.chunkByteCount / tensor.dtype.byteCount
            var start = 0
            while start < tensor.scalarCount {
                let count = min(perChunk, tensor.scalarCount - start)
                storeLittleEndian(tensor, range: start..<start + count, into: chunk)
                try body(UnsafeRawBufferPointer(rebasing: chunk[0..<count * tensor.dtype.byteCount]))
                start += count
            }
        }
    }

    /// Writes the elements `range` of `tensor` little-endian into `destination`.
    private func storeLittleEndian(_ tensor: Tensor, range: Range<Int>, into destination: UnsafeMutableRawBufferPointer) {
        switch tensor.dtype {
        case .float32:
            let values = tensor.pointer(Float.self)
            for (slot, index) in range.enumerated() {
                destination.storeBytes(of: values[index].bitPattern.littleEndian, toByteOffset: slot * 4, as: UInt32.self)
            }
        case .float64:
            let values = tensor.pointer(Double.self)
            for (slot, index) in range.enumerated() {
                destination.storeBytes(of: values[index].bitPattern.littleEndian, toByteOffset: slot * 8, as: UInt64.self)
            }
        case .int64:
            let values = tensor.pointer(Int64.self)
            for (slot, index) in range.enumerated() {
                destination.storeBytes(of: values[index].littleEndian, toByteOffset: slot * 8, as: Int64.self)
            }
        case .bool:
            let values = tensor.pointer(Bool.self)
            for (slot, index) in range.enumerated() {
                destination[slot] = values[index] ? 1 : 0
            }
        }
    }
}

/// `text` as a JSON string literal: quotes, backslashes and control characters escaped, everything
/// else as UTF-8.
func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20:
            let digits = String(scalar.value, radix: 16, uppercase: true)
            result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
