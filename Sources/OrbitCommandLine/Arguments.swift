/// A small command-line parser for Orbit's executables: `--name value` options with defaults, boolean
/// `--flag`s, `--help` text generated from the declarations, and errors that say what was wrong.
///
/// ```swift
/// let options = [Option("epochs", default: "2", help: "passes over the training set"),
///                Option(flag: "resume", help: "continue from the last checkpoint")]
/// let arguments = try Arguments(CommandLine.arguments.dropFirst(), options: options)
/// let epochs = try arguments.value("epochs", in: 1...)      // "--epochs expects an integer >= 1, got '-1'"
/// ```
/// Range-checked, enumerated and list values are in `ArgumentValues.swift`; how a command ends on an
/// error (exit statuses 0, 1, 2, 130) is `CommandFailure`.
public struct Option: Sendable {
    public let name: String
    public let defaultValue: String?
    public let help: String
    public let isFlag: Bool

    /// An option taking a value, `--name value` or `--name=value`.
    public init(_ name: String, default defaultValue: String, help: String) {
        (self.name, self.defaultValue, self.help, isFlag) = (name, defaultValue, help, false)
    }

    /// A boolean flag, `--name`, false unless given.
    public init(flag name: String, help: String) {
        (self.name, defaultValue, self.help, isFlag) = (name, nil, help, true)
    }
}

/// A mistake in a command line. Every case is a usage error: the command exits with status 2.
public enum ArgumentError: Error, Equatable, CustomStringConvertible {
    case unknownOption(String, suggestion: String?)
    case missingValue(String)
    case invalidValue(option: String, value: String, expected: String)
    case unexpectedArgument(String)
    /// Operands (words that are not options) outside the accepted ones, `expected` saying what those are.
    case invalidOperands([String], expected: String)
    case helpRequested

    public var description: String {
        switch self {
        case .unknownOption(let name, let suggestion):
            "unknown option --\(name)" + (suggestion.map { " (did you mean --\($0)?)" } ?? "")
        case .missingValue(let name): "--\(name) needs a value"
        case .invalidValue(let option, let value, let expected): "--\(option) expects \(expected), got '\(value)'"
        case .unexpectedArgument(let argument): "unexpected argument '\(argument)' (options start with --; see --help)"
        case .invalidOperands(let words, let expected):
            words.map { "'\($0)'" }.joined(separator: ", ") + (words.count == 1 ? " is not " : " are not ") + expected
        case .helpRequested: "help requested"
        }
    }
}

/// Parsed command-line arguments.
public struct Arguments: Sendable {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []
    public let options: [Option]
    /// The words that are not options, in order (only for commands that accept operands).
    public private(set) var operands: [String] = []

    /// Parses `arguments` (without the program name). Throws `.helpRequested` for `--help` or `-h`.
    /// Words that do not start with `--` are operands when `acceptsOperands`, otherwise an error.
    public init<Words: Sequence>(_ arguments: Words, options: [Option], acceptsOperands: Bool = false) throws
    where Words.Element == String {
        self.options = options
        let byName = Dictionary(uniqueKeysWithValues: options.map { ($0.name, $0) })
        var words = Array(arguments)[...]
        while let word = words.popFirst() {
            if word == "--help" || word == "-h" { throw ArgumentError.helpRequested }
            guard word.hasPrefix("--") else {
                guard acceptsOperands else { throw ArgumentError.unexpectedArgument(word) }
                operands.append(word)
                continue
            }
            var name = String(word.dropFirst(2)), inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = byName[name] else {
                throw ArgumentError.unknownOption(name, suggestion: Arguments.closest(to: name, in: options.map(\.name)))
            }
            if option.isFlag {
                flags.insert(name)
            } else if let value = inlineValue ?? words.popFirst() {
                values[name] = value
            } else {
                throw ArgumentError.missingValue(name)
            }
        }
    }

    /// The value of option `name` (its default when not given) converted to `Value`.
    public func value<Value: LosslessStringConvertible>(_ name: String, as _: Value.Type = Value.self) throws -> Value {
        guard let option = options.first(where: { $0.name == name }), !option.isFlag else {
            preconditionFailure("Arguments.value: no option named \(name) was declared")
        }
        let text = values[name] ?? option.defaultValue!
        guard let value = Value(text) else {
            throw ArgumentError.invalidValue(option: name, value: text, expected: Arguments.describe(Value.self))
        }
        return value
    }

    /// Whether flag `name` was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// Whether option `name` was given explicitly (rather than left at its default).
    public func isGiven(_ name: String) -> Bool { values[name] != nil || flags.contains(name) }

    /// Usage text: the summary, then one line per option with its default. `operands` names the
    /// non-option words a command accepts (e.g. "[case ...]"), shown in the usage line.
    public static func helpText(command: String, summary: String, options: [Option], operands: String? = nil) -> String {
        let width = (options.map { $0.name.count + ($0.isFlag ? 2 : 10) }.max() ?? 0) + 2
        let lines = options.map { option -> String in
            let left = "--" + option.name + (option.isFlag ? "" : " <value>")
            let padding = String(repeating: " ", count: max(1, width - left.count))
            return "  " + left + padding + option.help + (option.defaultValue.map { " (default: \($0))" } ?? "")
        }
        let usage = "usage: \(command) [options]" + (operands.map { " " + $0 } ?? "")
        return ([usage, "", summary, "", "options:"] + lines
                + ["  --help" + String(repeating: " ", count: max(1, width - 6)) + "show this text"]).joined(separator: "\n")
    }

    /// What a value of `type` looks like, for error messages ("an integer", "a number", ...).
    static func describe<Value>(_ type: Value.Type) -> String {
        switch type {
        case is UInt64.Type: "a non-negative integer (0...\(UInt64.max))"
        case is Int.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        default: "a value of type \(type)"
        }
    }

    /// The declared name with the smallest edit distance, if it is close (at most 2 edits).
    static func closest(to name: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(Array(name), Array($0))) }.min { $0.1 < $1.1 }
        return scored.flatMap { $0.1 <= 2 ? $0.0 : nil }
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
