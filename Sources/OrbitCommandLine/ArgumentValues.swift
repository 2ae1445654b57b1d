/// Checked values: numbers within a range, one of a list of choices, comma-separated lists. Each
/// throws `ArgumentError.invalidValue` naming the option, the accepted values and what was given, e.g.
/// `--epochs expects an integer >= 1, got '-1'` or `--plan expects one of paper, small, got 'huge'`.
/// The value checked is the option's default when it was not given, so defaults are held to the same rule.
/// Number ranges are chosen by type: write `in: 0.0...` (or assign to a `Double`) for a number option,
/// since a bare `in: 0...` is an integer range.
extension Arguments {
    /// Integer option `name`, at least `range.lowerBound`: `try arguments.value("epochs", in: 1...)`.
    public func value<Value: FixedWidthInteger & LosslessStringConvertible>(_ name: String, in range: PartialRangeFrom<Value>) throws
        -> Value {
        try checked(name, expected: "an integer >= \(range.lowerBound)") { range.contains($0) }
    }

    /// Integer option `name` within `range`: `try arguments.value("group-order", in: 1...64)`.
    public func value<Value: FixedWidthInteger & LosslessStringConvertible>(_ name: String, in range: ClosedRange<Value>) throws -> Value {
        try checked(name, expected: "an integer in \(range.lowerBound)...\(range.upperBound)") { range.contains($0) }
    }

    /// Finite number option `name`, at least `range.lowerBound`: `try arguments.value("alpha", in: 0...)`.
    public func value(_ name: String, in range: PartialRangeFrom<Double>) throws -> Double {
        try checked(name, expected: "a finite number >= \(Arguments.format(range.lowerBound))") { $0.isFinite && range.contains($0) }
    }

    /// Number option `name` within `range`: `try arguments.value("symmetry-breaking", in: 0...1)`.
    public func value(_ name: String, in range: ClosedRange<Double>) throws -> Double {
        try checked(name, expected: "a number in \(Arguments.format(range.lowerBound))...\(Arguments.format(range.upperBound))") {
            range.contains($0)
        }
    }

    /// Finite number option `name`, strictly greater than `bound`: `try arguments.value("learning-rate", above: 0)`.
    public func value(_ name: String, above bound: Double) throws -> Double {
        try checked(name, expected: "a finite number > \(Arguments.format(bound))") { $0.isFinite && $0 > bound }
    }

    /// Option `name`, which must be one of `accepted` (compared exactly).
    public func choice(_ name: String, from accepted: [String]) throws -> String {
        try checked(name, expected: "one of " + accepted.joined(separator: ", ")) { accepted.contains($0) }
    }

    /// Option `name` as a case of `Choice`, by raw value: `try arguments.choice("symmetry", as: Symmetry.self)`.
    public func choice<Choice: CaseIterable & RawRepresentable>(_ name: String, as _: Choice.Type = Choice.self) throws -> Choice
    where Choice.RawValue == String {
        Choice(rawValue: try choice(name, from: Choice.allCases.map(\.rawValue)))!
    }

    /// Option `name` as a non-empty comma-separated list, each element converted to `Value` and accepted
    /// by `isValid` (described by `element`, e.g. "a non-negative integer"): `--seeds 0,1,2`.
    public func list<Value: LosslessStringConvertible>(_ name: String, of _: Value.Type = Value.self, element: String? = nil,
                                                       where isValid: (Value) -> Bool = { _ in true }) throws -> [Value] {
        let text = try value(name, as: String.self)
        let expected = "a comma-separated list, each element " + (element ?? Arguments.describe(Value.self))
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let values = items.compactMap { Value($0) }
        guard !text.isEmpty, values.count == items.count, values.allSatisfy(isValid) else {
            throw ArgumentError.invalidValue(option: name, value: text, expected: expected)
        }
        return values
    }

    /// `list(name, of:element:where:)` whose elements must also differ from one another: `--levels 0,3,6,9`.
    public func distinctList<Value: LosslessStringConvertible & Hashable>(_ name: String, of _: Value.Type = Value.self, element: String? = nil,
                                                                          where isValid: (Value) -> Bool = { _ in true }) throws -> [Value] {
        let values = try list(name, of: Value.self, element: element, where: isValid)
        guard Set(values).count == values.count else {
            throw ArgumentError.invalidValue(option: name, value: try value(name), expected: "distinct values")
        }
        return values
    }

    /// Option `name` converted to `Value` and accepted by `isValid`, or `.invalidValue` with `expected`.
    private func checked<Value: LosslessStringConvertible>(_ name: String, expected: String, _ isValid: (Value) -> Bool) throws -> Value {
        let text = try value(name, as: String.self)
        guard let value = Value(text), isValid(value) else {
            throw ArgumentError.invalidValue(option: name, value: text, expected: expected)
        }
        return value
    }

    /// A bound as written in a message: `0` rather than `0.0`, `1e-05` as Swift prints it.
    static func format(_ bound: Double) -> String {
        bound == bound.rounded() && abs(bound) < 1e15 ? String(Int(bound)) : String(bound)
    }
}
