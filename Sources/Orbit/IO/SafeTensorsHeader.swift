/// One tensor as the header describes it, after every check: its byte range lies inside the data
/// buffer and holds exactly `shape` elements of `elementType`.
struct SafeTensorsEntry {
    let name: String
    let elementType: SafeTensorsElementType
    let shape: [Int]
    let elementCount: Int
    /// Byte range in the data buffer (which starts right after the header).
    let begin: Int
    let end: Int
}

/// The validated JSON header of a safetensors file.
///
/// Entries are in *file order*: sorted by data offset. Zero-size tensors share their offset with the
/// tensor that follows; they sort first, and among themselves keep their order in the header. Data
/// written by `SafeTensors.encode` thus comes back in the order it was given.
struct SafeTensorsHeader {
    var entries: [SafeTensorsEntry]
    var metadata: [String: String]

    /// Parses and checks the header JSON against a data buffer of `dataByteCount` bytes.
    static func parse(_ json: UnsafeRawBufferPointer, dataByteCount: Int,
                      limits: SafeTensors.Limits) throws(SafeTensorsError) -> SafeTensorsHeader {
        let members = try StrictJSONParser.parseObject(json, maximumDepth: limits.maximumNestingDepth)
        var entries: [SafeTensorsEntry] = []
        var metadata: [String: String] = [:]
        for member in members {
            if member.key == SafeTensors.metadataKey {
                metadata = try parseMetadata(member.value)
            } else {
                entries.append(try parseEntry(name: member.key, member.value))
            }
        }
        // Sorting by (begin, end) and then header order puts each zero-size tensor before a tensor that
        // starts at the same offset, so that the contiguity scan below accepts them.
        let ordered = entries.enumerated().sorted { a, b in
            (a.element.begin, a.element.end, a.offset) < (b.element.begin, b.element.end, b.offset)
        }.map(\.element)
        var expectedBegin = 0
        for entry in ordered {
            guard entry.begin == expectedBegin else {
                throw .nonContiguousData(name: entry.name, begin: entry.begin, expectedBegin: expectedBegin)
            }
            expectedBegin = entry.end
        }
        guard expectedBegin == dataByteCount else {
            throw .dataSizeMismatch(coveredByteCount: expectedBegin, dataByteCount: dataByteCount)
        }
        return SafeTensorsHeader(entries: ordered, metadata: metadata)
    }

    private static func parseMetadata(_ value: JSONValue) throws(SafeTensorsError) -> [String: String] {
        guard case .object(let members) = value else {
            throw .invalidMetadata(key: SafeTensors.metadataKey, reason: "must be an object, found \(value.typeName)")
        }
        var metadata: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else {
                throw .invalidMetadata(key: member.key, reason: "values must be strings, found \(member.value.typeName)")
            }
            metadata[member.key] = text
        }
        return metadata
    }

    private static func parseEntry(name: String, _ value: JSONValue) throws(SafeTensorsError) -> SafeTensorsEntry {
        guard case .object(let members) = value else {
            throw .invalidEntry(name: name, reason: "the entry must be an object, found \(value.typeName)")
        }
        var dtypeValue: JSONValue?, shapeValue: JSONValue?, offsetsValue: JSONValue?
        for member in members {
            switch member.key {
            case "dtype": dtypeValue = member.value
            case "shape": shapeValue = member.value
            case "data_offsets": offsetsValue = member.value
            default: throw .invalidEntry(name: name, reason: "unknown field \"\(member.key)\"")
            }
        }
        guard let dtypeValue, let shapeValue, let offsetsValue else {
            let missing = [("dtype", dtypeValue), ("shape", shapeValue), ("data_offsets", offsetsValue)]
                .filter { $0.1 == nil }.map(\.0)
            throw .invalidEntry(name: name, reason: "missing field \(missing.joined(separator: ", "))")
        }

        guard case .string(let dtypeName) = dtypeValue else {
            throw .invalidEntry(name: name, reason: "dtype must be a string, found \(dtypeValue.typeName)")
        }
        guard let elementType = SafeTensorsElementType(rawValue: dtypeName) else {
            throw .unsupportedDType(name: name, dtype: dtypeName)
        }

        guard case .array(let shapeElements) = shapeValue else {
            throw .invalidShape(name: name, reason: "must be an array, found \(shapeValue.typeName)")
        }
        var shape: [Int] = []
        shape.reserveCapacity(shapeElements.count)
        for (axis, element) in shapeElements.enumerated() {
            guard let size = nonNegativeInteger(element) else {
                throw .invalidShape(name: name, reason: "entry \(axis) is \(element.typeName), not a non-negative integer")
            }
            shape.append(size)
        }
        guard let (elementCount, byteCount) = checkedSizes(shape, elementType: elementType) else {
            throw .invalidShape(name: name, reason: "\(shape) has more elements or bytes than fit in Int")
        }

        guard case .array(let offsets) = offsetsValue, offsets.count == 2 else {
            throw .invalidDataOffsets(name: name, reason: "must be an array of two integers [begin, end], found \(offsetsValue.typeName)")
        }
        guard let begin = nonNegativeInteger(offsets[0]), let end = nonNegativeInteger(offsets[1]) else {
            throw .invalidDataOffsets(name: name, reason: "[\(offsets[0].typeName), \(offsets[1].typeName)] are not two non-negative integers")
        }
        guard begin <= end else {
            throw .invalidDataOffsets(name: name, reason: "[\(begin), \(end)] ends before it begins")
        }
        guard end - begin == byteCount else {
            throw .byteCountMismatch(name: name, dtype: dtypeName, shape: shape, expected: byteCount, actual: end - begin)
        }
        return SafeTensorsEntry(name: name, elementType: elementType, shape: shape,
                                elementCount: elementCount, begin: begin, end: end)
    }

    /// A JSON integer literal in 0...Int.max.
    private static func nonNegativeInteger(_ value: JSONValue) -> Int? {
        guard case .number(let number) = value, let integer = number.integer, integer >= 0 else { return nil }
        return integer
    }

    /// The number of elements and of bytes in the file, or nil when any product that Orbit may form
    /// from the shape could overflow: the product of the non-zero sizes (which bounds every partial
    /// product, in any axis order), times the larger of the file and Orbit element sizes (the bytes to
    /// read and to allocate).
    private static func checkedSizes(_ shape: [Int], elementType: SafeTensorsElementType) -> (elements: Int, bytes: Int)? {
        var nonZeroProduct = 1
        var hasZero = false
        for size in shape {
            if size == 0 {
                hasZero = true
                continue
            }
            let (product, overflow) = nonZeroProduct.multipliedReportingOverflow(by: size)
            if overflow { return nil }
            nonZeroProduct = product
        }
        let widestElement = max(elementType.byteCount, elementType.dtype.byteCount)
        if nonZeroProduct.multipliedReportingOverflow(by: widestElement).overflow { return nil }
        let elementCount = hasZero ? 0 : nonZeroProduct
        let (byteCount, overflow) = elementCount.multipliedReportingOverflow(by: elementType.byteCount)
        return overflow ? nil : (elementCount, byteCount)
    }
}
