import Orbit

extension Module {
    /// A table of every parameter and buffer with its shape and size, and the total parameter count:
    ///
    ///     name              shape            count
    ///     conv1.weight      [32, 1, 3, 3]      288
    ///     ...
    ///     total trainable parameters: 1,199,882
    public var summary: String {
        var rows = namedParameters.map { ($0.name, $0.parameter.shape, "") }
        rows += namedBuffers.map { ($0.name, $0.buffer.shape, " (buffer)") }
        let nameWidth = max(4, rows.map(\.0.count).max() ?? 0)
        let shapeWidth = max(5, rows.map { "\($0.1)".count }.max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var lines = [pad("name", nameWidth) + "  " + pad("shape", shapeWidth) + "  count"]
        for (name, shape, note) in rows {
            lines.append(pad(name, nameWidth) + "  " + pad("\(shape)", shapeWidth) + "  "
                         + groupedThousands(shape.reduce(1, *)) + note)
        }
        lines.append("total trainable parameters: \(groupedThousands(parameterCount))")
        return lines.joined(separator: "\n")
    }
}

/// 1199882 -> "1,199,882".
func groupedThousands(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return (value < 0 ? "-" : "") + result
}
