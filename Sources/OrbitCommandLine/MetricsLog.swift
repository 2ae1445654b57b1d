import Foundation

/// Appends one JSON object per line to a file (`metrics.jsonl`), flushed line by line so that an
/// interrupted run keeps everything written so far.
public final class MetricsLog {
    private let handle: FileHandle

    /// Opens (creating if needed) `url` for appending.
    public init(appendingTo url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    /// Writes `record` as one line of JSON with keys sorted.
    public func write(_ record: [String: MetricValue]) throws {
        try handle.write(contentsOf: Data(MetricsLog.line(record).utf8))
    }

    /// `record` as the line `write` appends: JSON with keys sorted, non-finite numbers as null, and "\n".
    public static func line(_ record: [String: MetricValue]) -> String {
        "{" + record.keys.sorted().map { "\(quote($0)): \(record[$0]!.json)" }.joined(separator: ", ") + "}\n"
    }

    static func quote(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case _ where scalar.value < 0x20: escaped += String(format: "\\u%04x", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}

/// A value in a metrics record.
public enum MetricValue: Sendable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral {
    case integer(Int), number(Double), text(String)

    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .text(value) }

    var json: String {
        switch self {
        case .integer(let value): String(value)
        case .number(let value): value.isFinite ? "\(value)" : "null"
        case .text(let value): MetricsLog.quote(value)
        }
    }
}
