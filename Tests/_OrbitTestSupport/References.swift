import Foundation

/// tanh from the C library, for references written in plain Double.
public func tanhReference(_ x: Double) -> Double { Foundation.tanh(x) }

/// Natural logarithm from the C library, for references written in plain Double.
public func logReference(_ x: Double) -> Double { Foundation.log(x) }
