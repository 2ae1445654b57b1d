import Foundation

/// What a command line comes to: arguments to run with, the help text, or a mistake to report.
///
/// `Arguments.parse(_:command:summary:options:)` decides, without printing or exiting, so the decision can
/// be tested; `Arguments.parseOrExit(command:summary:options:)` acts on it at the top of a `main.swift`:
///
/// ```swift
/// let arguments = Arguments.parseOrExit(command: "orbit-train", summary: MNISTSettings.summary,
///                                       options: MNISTSettings.options)
/// ```
public enum ParsingOutcome {
    /// The words parsed: run the command with these arguments.
    case run(Arguments)
    /// `--help` or `-h`: print this usage text on standard output and exit with status 0.
    case help(String)
    /// A mistake: print this message on standard error and exit with status 2 (the usage-error convention).
    case usageError(String)
}

extension Arguments {
    /// Parses `words` (without the program name) for `command`: the arguments, the help text for `--help`,
    /// or `"<command>: <what was wrong>\nTry --help."` for a mistake. `operands` (e.g. "[case ...]") lets
    /// the command take words that are not options; without it they are mistakes.
    public static func parse<Words: Sequence>(_ words: Words, command: String, summary: String, options: [Option],
                                              operands: String? = nil) -> ParsingOutcome where Words.Element == String {
        do {
            return .run(try Arguments(words, options: options, acceptsOperands: operands != nil))
        } catch ArgumentError.helpRequested {
            return .help(helpText(command: command, summary: summary, options: options, operands: operands))
        } catch {
            return .usageError(CommandFailure(error, command: command).message)
        }
    }

    /// Parses the process's command line; on `--help` prints the usage text and exits with status 0, on a
    /// mistake prints what was wrong on standard error and exits with status 2.
    public static func parseOrExit(command: String, summary: String, options: [Option], operands: String? = nil) -> Arguments {
        switch parse(CommandLine.arguments.dropFirst(), command: command, summary: summary, options: options, operands: operands) {
        case .run(let arguments):
            return arguments
        case .help(let text):
            Console.line(text)
            exit(ExitStatus.success)
        case .usageError(let message):
            FileHandle.standardError.write(Data((message + "\n").utf8))
            exit(ExitStatus.usage)
        }
    }
}
