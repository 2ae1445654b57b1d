extension Tensor: CustomStringConvertible {
    /// `Tensor(float32, [2, 3]: [[1, 2, 3], [4, 5, 6]])`, with at most 6 entries per axis shown.
    public var description: String {
        let values = doubles
        func format(_ value: Double) -> String {
            switch dtype {
            case .bool: value != 0 ? "true" : "false"
            case .int64: String(Int64(value))
            default: value == value.rounded() && Swift.abs(value) < 1e15 ? String(Int64(value)) : String(value)
            }
        }
        func render(axis: Int, offset: Int) -> String {
            if axis == rank { return format(values[offset]) }
            let size = shape[axis]
            let stride = shape[(axis + 1)...].reduce(1, *)
            let shown = size <= 6 ? Array(0..<size) : Array(0..<3) + [-1] + Array((size - 3)..<size)
            let parts = shown.map { $0 < 0 ? "…" : render(axis: axis + 1, offset: offset + $0 * stride) }
            return "[" + parts.joined(separator: ", ") + "]"
        }
        return "Tensor(\(dtype), \(shape): \(render(axis: 0, offset: 0)))"
    }
}
