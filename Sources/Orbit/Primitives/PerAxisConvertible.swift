/// What a kernel size, stride, padding or dilation argument accepts: an `Int` (the same value on every
/// spatial axis), an `[Int]` (one value per axis) or a `PerAxis`. Every convolution and pooling function
/// and layer takes its sizes as `some PerAxisConvertible`, so literals (`padding: 1`, `kernelSize: [3, 5]`)
/// and variables of any of the three types can be passed alike:
///
/// ```swift
/// let k = 3
/// Convolution2D(inputChannels: 1, outputChannels: 8, kernelSize: k, padding: k / 2, using: &generator)
/// GroupConvolution(group: CyclicGroup(order: 4), inputFields: 8, outputFields: 8, kernelSize: k, padding: 1,
///                  using: &generator)
/// ```
public protocol PerAxisConvertible: Sendable {
    /// The value as a `PerAxis`: one value for every axis, or one per axis.
    var perAxis: PerAxis { get }
}

extension PerAxis: PerAxisConvertible {
    public var perAxis: PerAxis { self }
}

extension Int: PerAxisConvertible {
    /// The same value on every axis.
    public var perAxis: PerAxis { PerAxis([self]) }
}

extension Array: PerAxisConvertible where Element == Int {
    /// One value per axis.
    public var perAxis: PerAxis { PerAxis(self) }
}
