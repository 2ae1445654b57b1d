import Orbit

/// The images moving-digit sequences are drawn from: grey-level digits of one size with their labels,
/// usually a range of an MNIST split.
///
/// ```swift
/// let mnist = try MNIST(split: .training, directory: MNIST.defaultDirectory)
/// let trainingDigits = DigitPool(mnist, indices: 0..<54_000)       // digits for the training set
/// let validationDigits = DigitPool(mnist, indices: 54_000..<60_000) // disjoint digits for validation
/// ```
/// Pixels stay bytes (the MNIST array is shared, not copied) and are scaled by 1/255 when drawn.
public struct DigitPool: Sendable {
    /// Rows of each digit image (28 for MNIST).
    public let height: Int
    /// Columns of each digit image (28 for MNIST).
    public let width: Int
    /// The indices, in the source images, of the digits in this pool.
    public let sourceIndices: Range<Int>
    /// Source images, `[source count, height, width]` row-major bytes.
    private let pixels: [UInt8]
    /// One label per source image.
    private let labels: [Int]

    /// Digits `indices` of an MNIST split (all of them by default).
    public init(_ mnist: MNIST, indices: Range<Int>? = nil) {
        let indices = indices ?? 0..<mnist.count
        requireArgument(!indices.isEmpty && indices.lowerBound >= 0 && indices.upperBound <= mnist.count, "DigitPool",
                        "indices \(indices) must be a non-empty range inside 0..<\(mnist.count)")
        height = mnist.height
        width = mnist.width
        sourceIndices = indices
        pixels = mnist.images.elements
        labels = mnist.labels.map(Int.init)
    }

    /// A pool of `labels.count` digits of `height x width` bytes each (0 background, 255 full ink).
    public init(pixels: [UInt8], labels: [Int], height: Int, width: Int) {
        requireArgument(height >= 1 && width >= 1 && !labels.isEmpty, "DigitPool",
                        "need at least one digit of positive size, got \(labels.count) of \(height)x\(width)")
        requireArgument(pixels.count == labels.count * height * width, "DigitPool",
                        "\(pixels.count) bytes do not hold \(labels.count) digits of \(height)x\(width)")
        self.height = height
        self.width = width
        sourceIndices = 0..<labels.count
        self.pixels = pixels
        self.labels = labels
    }

    /// Number of digits.
    public var count: Int { sourceIndices.count }

    /// A uniformly random digit number in `0..<count`.
    func randomDigit(using generator: inout RandomGenerator) -> Int {
        ExampleSeeding.uniform(in: 0..<count, using: &generator)
    }

    /// The label of digit `digit` (0..<count).
    public func label(_ digit: Int) -> Int { labels[sourceIndices.lowerBound + digit] }

    /// The index of digit `digit` in the source images (the MNIST index for an MNIST pool).
    public func sourceIndex(_ digit: Int) -> Int { sourceIndices.lowerBound + digit }

    /// Digit `digit` as `height * width` row-major values byte/255 in [0, 1].
    public func image(_ digit: Int) -> [Float] {
        let start = sourceIndex(digit) * height * width
        return pixels[start..<(start + height * width)].map { Float($0) / 255 }
    }

    /// The smallest rectangle holding every non-zero pixel of digit `digit`, as (top-left corner, size),
    /// or nil for an empty image.
    public func inkBounds(_ digit: Int) -> (corner: PixelVector, size: PixelVector)? {
        let start = sourceIndex(digit) * height * width
        var (top, left, bottom, right) = (height, width, -1, -1)
        for row in 0..<height {
            for column in 0..<width where pixels[start + row * width + column] != 0 {
                top = min(top, row)
                bottom = max(bottom, row)
                left = min(left, column)
                right = max(right, column)
            }
        }
        guard bottom >= 0 else { return nil }
        return (PixelVector(y: top, x: left), PixelVector(y: bottom - top + 1, x: right - left + 1))
    }
}
