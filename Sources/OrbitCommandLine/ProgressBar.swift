import Foundation

/// A progress line for long work: `epoch 1/3 [=========>          ] 451/938  loss 0.1412  2,310 ex/s  ETA 0:21`.
///
/// On a terminal it redraws one line in place (at most 10 times a second); when output goes to a file or
/// a CI log it prints a plain line every `logInterval` seconds instead, so logs stay readable. A bar that
/// resumes part-way (`startingAt`) estimates the time left from the steps done since it was created.
public final class ProgressBar {
    private let label: String
    private let total: Int
    private let startingAt: Int
    private let width = 24
    private let logInterval: Double
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let interactive: Bool
    private let output: FileHandle

    public init(label: String, total: Int, startingAt: Int = 0, logInterval: Double = 10,
                output: FileHandle = .standardError, interactive: Bool? = nil) {
        (self.label, self.total, self.logInterval, self.output) = (label, max(1, total), logInterval, output)
        self.startingAt = min(max(0, startingAt), self.total)
        self.interactive = interactive ?? (isatty(output.fileDescriptor) != 0)
    }

    /// Reports that `completed` of `total` steps are done, with extra `name value` fields and how many
    /// examples were processed so far (for the throughput).
    public func update(completed: Int, examples: Int, fields: [(String, String)] = []) {
        let now = Date()
        let finished = completed >= total
        guard finished || now.timeIntervalSince(lastDraw) >= (interactive ? 0.1 : logInterval) else { return }
        lastDraw = now
        let line = render(completed: completed, examples: examples, fields: fields, elapsed: now.timeIntervalSince(start))
        output.write(Data(((interactive ? "\r\u{1B}[2K" : "") + line + (interactive && !finished ? "" : "\n")).utf8))
    }

    func render(completed: Int, examples: Int, fields: [(String, String)], elapsed: Double) -> String {
        let fraction = min(1, Double(completed) / Double(total))
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "")
            + String(repeating: " ", count: max(0, width - filled - 1))
        let rate = elapsed > 0 ? Double(examples) / elapsed : 0
        let done = completed - startingAt   // steps taken in `elapsed`
        let remaining = done > 0 ? elapsed * Double(max(0, total - completed)) / Double(done) : 0
        var parts = ["\(label) [\(bar)] \(completed)/\(total)"]
        parts += fields.map { "\($0.0) \($0.1)" }
        parts.append("\(Int(rate.rounded())) ex/s")
        parts.append(completed >= total ? "took \(ProgressBar.clock(elapsed))" : "ETA \(ProgressBar.clock(remaining))")
        return parts.joined(separator: "  ")
    }

    /// 75 -> "1:15", 3725 -> "1:02:05".
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3600, (total / 60) % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }
}
