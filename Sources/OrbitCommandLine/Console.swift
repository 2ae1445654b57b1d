import Foundation

/// Output for long-running commands.
public enum Console {
    /// Writes `text` and a newline to standard output immediately. `print` is block-buffered when the
    /// output is a file or a pipe, so a log would only show results when the process ends (or never,
    /// if it is killed); this writes each line as it happens.
    public static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
