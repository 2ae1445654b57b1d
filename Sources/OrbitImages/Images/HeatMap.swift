import Foundation
import Orbit

/// A 2-D array of values drawn as a colour image, for tables such as the velocity-generalisation
/// error grid (rows = v.y, columns = v.x): each value is a `cellSize x cellSize` square coloured by a
/// viridis-like map from `minimum` (dark purple) to `maximum` (yellow).
///
/// ```swift
/// let map = HeatMap(values: errors, scale: .logarithmic)      // errors[row][column]
/// try map.image.writePNG(to: url)                              // caption: map.minimum ... map.maximum
/// ```
/// Non-finite values (and, on a logarithmic scale, values <= 0) are drawn mid grey and left out of
/// the minimum and maximum; when all the others are equal they get the middle colour.
public struct HeatMap: Sendable {
    /// How values map to colours.
    public enum Scale: Sendable {
        /// Linearly from minimum to maximum.
        case linear
        /// Linearly in log10, for errors spanning decades.
        case logarithmic
    }

    /// The picture, RGB.
    public let image: RasterImage
    /// The smallest drawable value (nil if none is drawable).
    public let minimum: Double?
    /// The largest drawable value (nil if none is drawable).
    public let maximum: Double?

    /// The colour of `value`s in a rows x columns grid (all rows of equal length). `range`, when given,
    /// is mapped to the ends of the colour map instead of the values' own minimum and maximum (so that
    /// several maps share one scale; values outside it get the end colours).
    public init(values: [[Double]], cellSize: Int = 16, scale: Scale = .linear, range: ClosedRange<Double>? = nil) {
        let columns = values.first?.count ?? 0
        requireArgument(!values.isEmpty && columns >= 1 && values.allSatisfy { $0.count == columns } && cellSize >= 1,
                        "HeatMap", "need a non-empty rectangular grid and a positive cell size, got rows of \(values.map(\.count))")
        func position(_ value: Double) -> Double? {
            switch scale {
            case .linear: value.isFinite ? value : nil
            case .logarithmic: value.isFinite && value > 0 ? log10(value) : nil
            }
        }
        let drawable = values.joined().filter { position($0) != nil }
        minimum = drawable.min()
        maximum = drawable.max()
        let (low, high) = (position(range?.lowerBound ?? minimum ?? 0) ?? 0, position(range?.upperBound ?? maximum ?? 0) ?? 0)
        let width = columns * cellSize, height = values.count * cellSize
        var pixels = [Float](repeating: 0.5, count: width * height * 3)
        for (row, rowValues) in values.enumerated() {
            for (column, value) in rowValues.enumerated() {
                guard let place = position(value) else { continue }
                let colour = HeatMap.colour(high > low ? (place - low) / (high - low) : 0.5)
                for y in (row * cellSize)..<((row + 1) * cellSize) {
                    for x in (column * cellSize)..<((column + 1) * cellSize) {
                        let pixel = (y * width + x) * 3
                        (pixels[pixel], pixels[pixel + 1], pixels[pixel + 2]) = colour
                    }
                }
            }
        }
        image = RasterImage(width: width, height: height, channels: 3, pixels: pixels)
    }

    /// The colour at `fraction` in [0, 1] (clamped) of the map: linear interpolation in sRGB between the
    /// nine colours of viridis (van der Walt and Smith, matplotlib), which is perceptually uniform, reads
    /// in grayscale and is safe for common colour blindness.
    public static func colour(_ fraction: Double) -> (red: Float, green: Float, blue: Float) {
        let place = min(max(fraction.isNaN ? 0 : fraction, 0), 1) * Double(stops.count - 1)
        let lower = min(Int(place), stops.count - 2)
        let weight = Float(place - Double(lower))
        let (a, b) = (stops[lower], stops[lower + 1])
        func mix(_ first: UInt8, _ second: UInt8) -> Float { (Float(first) * (1 - weight) + Float(second) * weight) / 255 }
        return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// viridis at 0, 1/8, ..., 1 (#440154, #472D7B, #3B528B, #2C728E, #21908C, #27AD81, #5DC863, #AADC32, #FDE725).
    private static let stops: [(UInt8, UInt8, UInt8)] = [
        (0x44, 0x01, 0x54), (0x47, 0x2D, 0x7B), (0x3B, 0x52, 0x8B), (0x2C, 0x72, 0x8E), (0x21, 0x90, 0x8C),
        (0x27, 0xAD, 0x81), (0x5D, 0xC8, 0x63), (0xAA, 0xDC, 0x32), (0xFD, 0xE7, 0x25),
    ]
}
