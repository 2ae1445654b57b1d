import Foundation
import Orbit

/// A line-and-marker chart of a few series on linear axes, drawn into an RGB `RasterImage`: a white
/// background, a frame, tick marks with numeric labels (a 3 x 5 pixel digit font, drawn twice as large),
/// each series in its colour and marker, its points joined in order of x. Only numbers are drawn (no font
/// for letters), so the caption names the axes and says which colour is which (`LinePlot.palette`).
///
/// ```swift
/// let plot = LinePlot(series: [LinePlot.Series(points: [(0, 0), (0.5, 0.4), (0.9, 0.8)], colour: LinePlot.palette[0], marker: .square)],
///                     diagonal: true)                       // and the dashed grey line y = x
/// try plot.image.writePNG(to: url)
/// ```
/// Points outside the axis ranges are not drawn; lines are clipped to the picture.
public struct LinePlot: Sendable {
    /// The shape drawn at each point (7 x 7 pixels).
    public enum Marker: Sendable, CaseIterable {
        case square, circle, triangle, diamond
    }

    /// One set of points.
    public struct Series: Sendable {
        public var points: [(x: Double, y: Double)]
        public var colour: (red: Float, green: Float, blue: Float)
        public var marker: Marker

        public init(points: [(x: Double, y: Double)], colour: (red: Float, green: Float, blue: Float), marker: Marker) {
            (self.points, self.colour, self.marker) = (points, colour, marker)
        }
    }

    /// Colours that stay apart for common colour blindness (Okabe and Ito 2008): orange, sky blue,
    /// bluish green, vermillion, blue.
    public static let palette: [(red: Float, green: Float, blue: Float)] = [
        (0.90, 0.62, 0.00), (0.34, 0.71, 0.91), (0.00, 0.62, 0.45), (0.84, 0.37, 0.00), (0.00, 0.45, 0.70),
    ]

    /// The picture, RGB, `width x height`.
    public let image: RasterImage
    /// The axis ranges drawn (given, or from the data: from 0 or below, 5% margins).
    public let xRange: ClosedRange<Double>
    public let yRange: ClosedRange<Double>

    /// Pixels between the picture's edges and the plotting area (left holds the y labels).
    static let margins = (left: 52, right: 14, top: 12, bottom: 30)

    /// Draws `series`; `diagonal` adds the dashed grey line y = x where it lies inside both ranges.
    public init(series: [Series], width: Int = 480, height: Int = 360, xRange: ClosedRange<Double>? = nil,
                yRange: ClosedRange<Double>? = nil, diagonal: Bool = false) {
        let margins = LinePlot.margins
        requireArgument(width > margins.left + margins.right + 10 && height > margins.top + margins.bottom + 10, "LinePlot",
                        "size \(width)x\(height) leaves no room for the plotting area")
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        self.xRange = xRange ?? LinePlot.range(points.map(\.x), fromZero: true)
        self.yRange = yRange ?? LinePlot.range(points.map(\.y), fromZero: true)
        var canvas = PlotCanvas(width: width, height: height)
        let (left, right, top, bottom) = (margins.left, width - 1 - margins.right, margins.top, height - 1 - margins.bottom)
        let (xRange, yRange) = (self.xRange, self.yRange)
        func column(_ x: Double) -> Int { left + Int(((x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * Double(right - left)).rounded()) }
        func row(_ y: Double) -> Int { bottom - Int(((y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * Double(bottom - top)).rounded()) }

        let black: (Float, Float, Float) = (0, 0, 0), grey: (Float, Float, Float) = (0.6, 0.6, 0.6)
        for (start, end) in [((left, top), (right, top)), ((right, top), (right, bottom)), ((left, bottom), (right, bottom)), ((left, top), (left, bottom))] {
            canvas.line(from: start, to: end, colour: black)
        }
        for tick in LinePlot.ticks(xRange) {
            let x = column(tick.value)
            canvas.line(from: (x, bottom), to: (x, bottom + 4), colour: black)
            canvas.text(tick.label, centredAt: x, top: bottom + 8, colour: black)
        }
        for tick in LinePlot.ticks(yRange) {
            let y = row(tick.value)
            canvas.line(from: (left - 4, y), to: (left, y), colour: black)
            canvas.text(tick.label, rightEdge: left - 7, middle: y, colour: black)
        }
        if diagonal {
            let low = max(xRange.lowerBound, yRange.lowerBound), high = min(xRange.upperBound, yRange.upperBound)
            if low < high { canvas.line(from: (column(low), row(low)), to: (column(high), row(high)), colour: grey, dash: 4) }
        }
        let inside = { (point: (x: Double, y: Double)) in xRange.contains(point.x) && yRange.contains(point.y) }
        for entry in series {
            let drawn = entry.points.filter(inside).sorted { $0.x < $1.x }
            for (first, second) in zip(drawn, drawn.dropFirst()) {
                canvas.line(from: (column(first.x), row(first.y)), to: (column(second.x), row(second.y)), colour: entry.colour)
            }
            for point in drawn { canvas.marker(entry.marker, at: (column(point.x), row(point.y)), colour: entry.colour) }
        }
        image = RasterImage(width: width, height: height, channels: 3, pixels: canvas.pixels)
    }

    /// [min, max] of `values` with 5% margins (from 0 when `fromZero` and all are positive); [0, 1] when empty.
    static func range(_ values: [Double], fromZero: Bool) -> ClosedRange<Double> {
        guard var low = values.min(), var high = values.max() else { return 0...1 }
        if fromZero { low = min(low, 0) }
        if high - low < 1e-12 { (low, high) = (low - 1, high + 1) }
        let margin = 0.05 * (high - low)
        return (fromZero && low == 0 ? 0 : low - margin)...(high + margin)
    }

    /// Ticks at multiples of a round step (1, 2 or 5 times a power of ten) giving 4 to 10 ticks, with
    /// labels of as many decimals as the step needs.
    static func ticks(_ range: ClosedRange<Double>) -> [(value: Double, label: String)] {
        let raw = (range.upperBound - range.lowerBound) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * 0.999 } ?? 10 * magnitude
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        let first = Int((range.lowerBound / step - 1e-9).rounded(.up)), last = Int((range.upperBound / step + 1e-9).rounded(.down))
        guard first <= last else { return [] }
        return (first...last).map { index in
            let value = Double(index) * step
            return (value, String(format: "%.\(decimals)f", abs(value) < step * 1e-9 ? 0 : value))
        }
    }
}

/// RGB pixels with drawing that ignores whatever falls outside.
struct PlotCanvas {
    let width: Int, height: Int
    var pixels: [Float]

    init(width: Int, height: Int) {
        (self.width, self.height) = (width, height)
        pixels = [Float](repeating: 1, count: width * height * 3)
    }

    mutating func set(_ x: Int, _ y: Int, _ colour: (Float, Float, Float)) {
        guard x >= 0 && x < width && y >= 0 && y < height else { return }
        let index = (y * width + x) * 3
        (pixels[index], pixels[index + 1], pixels[index + 2]) = colour
    }

    /// Bresenham's line, both ends included; `dash` > 0 draws `dash` pixels, skips `dash`, and so on.
    mutating func line(from start: (Int, Int), to end: (Int, Int), colour: (Float, Float, Float), dash: Int = 0) {
        var (x, y) = start
        let (dx, dy) = (abs(end.0 - x), -abs(end.1 - y))
        let (sx, sy) = (x < end.0 ? 1 : -1, y < end.1 ? 1 : -1)
        var error = dx + dy, count = 0
        while true {
            if dash == 0 || (count / dash) % 2 == 0 { set(x, y, colour) }
            count += 1
            if x == end.0 && y == end.1 { return }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    /// A 7 x 7 marker centred at `centre`.
    mutating func marker(_ marker: LinePlot.Marker, at centre: (Int, Int), colour: (Float, Float, Float)) {
        for dy in -3...3 {
            for dx in -3...3 {
                let drawn = switch marker {
                case .square: abs(dx) <= 2 && abs(dy) <= 2
                case .circle: dx * dx + dy * dy <= 10
                case .triangle: dy >= -3 && abs(dx) * 2 <= dy + 3
                case .diamond: abs(dx) + abs(dy) <= 3
                }
                if drawn { set(centre.0 + dx, centre.1 + dy, colour) }
            }
        }
    }

    /// Glyphs of the digits, '.' and '-': five rows of three pixels, scaled by 2.
    static let glyphs: [Character: [String]] = [
        "0": ["111", "101", "101", "101", "111"], "1": ["010", "110", "010", "010", "111"],
        "2": ["111", "001", "111", "100", "111"], "3": ["111", "001", "111", "001", "111"],
        "4": ["101", "101", "111", "001", "001"], "5": ["111", "100", "111", "001", "111"],
        "6": ["111", "100", "111", "101", "111"], "7": ["111", "001", "001", "001", "001"],
        "8": ["111", "101", "111", "101", "111"], "9": ["111", "101", "111", "001", "111"],
        ".": ["000", "000", "000", "000", "010"], "-": ["000", "000", "111", "000", "000"],
    ]
    static let scale = 2
    static func textWidth(_ text: String) -> Int { max(text.count * 4 * scale - scale, 0) }

    mutating func text(_ text: String, left: Int, top: Int, colour: (Float, Float, Float)) {
        for (index, character) in text.enumerated() {
            guard let rows = PlotCanvas.glyphs[character] else { continue }
            for (row, bits) in rows.enumerated() {
                for (column, bit) in bits.enumerated() where bit == "1" {
                    for sy in 0..<PlotCanvas.scale {
                        for sx in 0..<PlotCanvas.scale {
                            set(left + (index * 4 + column) * PlotCanvas.scale + sx, top + row * PlotCanvas.scale + sy, colour)
                        }
                    }
                }
            }
        }
    }

    mutating func text(_ string: String, centredAt x: Int, top: Int, colour: (Float, Float, Float)) {
        text(string, left: x - PlotCanvas.textWidth(string) / 2, top: top, colour: colour)
    }

    mutating func text(_ string: String, rightEdge: Int, middle y: Int, colour: (Float, Float, Float)) {
        text(string, left: rightEdge - PlotCanvas.textWidth(string), top: y - 5 * PlotCanvas.scale / 2, colour: colour)
    }
}
