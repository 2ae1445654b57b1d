/// Reads a safetensors file from memory, checking every number before using it (format in `SafeTensors`).
enum SafeTensorsDecoder {
    /// The length of the little-endian header length that starts every file.
    static let lengthFieldByteCount = 8

    static func decode(_ file: UnsafeRawBufferPointer,
                       limits: SafeTensors.Limits) throws(SafeTensorsError) -> SafeTensorsFile {
        let (header, data) = try validatedHeader(file, limits: limits)
        var tensors: [(name: String, tensor: Tensor)] = []
        tensors.reserveCapacity(header.entries.count)
        for entry in header.entries {
            // The header check guarantees begin...end lies inside `data` and holds `elementCount` elements.
            let source = UnsafeRawBufferPointer(rebasing: data[entry.begin..<entry.end])
            let tensor = Tensor(uninitializedShape: entry.shape, dtype: entry.elementType.dtype)
            if let badIndex = entry.elementType.convert(source, count: entry.elementCount, into: tensor) {
                throw .invalidBool(name: entry.name, index: badIndex, byte: source[badIndex])
            }
            tensors.append((entry.name, tensor))
        }
        return SafeTensorsFile(tensors: tensors, metadata: header.metadata)
    }

    /// Splits a file into its checked header and its data buffer.
    ///
    /// The header length is compared with the limit and with the bytes actually present before the
    /// header is looked at, so a forged length can neither allocate nor read out of bounds.
    static func validatedHeader(_ file: UnsafeRawBufferPointer, limits: SafeTensors.Limits)
        throws(SafeTensorsError) -> (header: SafeTensorsHeader, data: UnsafeRawBufferPointer) {
        guard file.count >= lengthFieldByteCount else { throw .fileTooShort(byteCount: file.count) }
        let declaredLength = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
        guard declaredLength <= UInt64(max(0, limits.maximumHeaderByteCount)) else {
            throw .headerTooLarge(headerByteCount: declaredLength, limit: limits.maximumHeaderByteCount)
        }
        let available = file.count - lengthFieldByteCount
        guard declaredLength <= UInt64(available) else {
            throw .headerExceedsFile(headerByteCount: declaredLength, availableByteCount: available)
        }
        let headerEnd = lengthFieldByteCount + Int(declaredLength)  // <= file.count, checked above
        let json = UnsafeRawBufferPointer(rebasing: file[lengthFieldByteCount..<headerEnd])
        let data = UnsafeRawBufferPointer(rebasing: file[headerEnd...])
        let header = try SafeTensorsHeader.parse(json, dataByteCount: data.count, limits: limits)
        return (header, data)
    }
}
