import Testing
@testable import OrbitImages

/// The pixels of `image` whose colour is `colour` (to 8-bit precision), as (x, y).
private func pixels(of colour: (red: Float, green: Float, blue: Float), in image: RasterImage) -> [(x: Int, y: Int)] {
    var found: [(x: Int, y: Int)] = []
    for y in 0..<image.height {
        for x in 0..<image.width {
            let index = (y * image.width + x) * 3
            if abs(image.pixels[index] - colour.red) < 1e-3 && abs(image.pixels[index + 1] - colour.green) < 1e-3
                && abs(image.pixels[index + 2] - colour.blue) < 1e-3 { found.append((x, y)) }
        }
    }
    return found
}

@Test func seriesAreDrawnInsideThePlottingArea() {
    let rising = LinePlot.Series(points: [(0, 0), (0.5, 0.45), (0.9, 0.85)], colour: LinePlot.palette[0], marker: .square)
    let flat = LinePlot.Series(points: [(0, 0.6), (0.9, 0.6), (5, 0.6)], colour: LinePlot.palette[1], marker: .circle)
    let plot = LinePlot(series: [rising, flat], width: 300, height: 200, xRange: 0...1, yRange: 0...1, diagonal: true)
    #expect(plot.image.width == 300 && plot.image.height == 200 && plot.image.channels == 3)
    #expect(plot.image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
    let margins = LinePlot.margins
    let area = (x: (margins.left - 3)...(300 - 1 - margins.right + 3), y: (margins.top - 3)...(200 - 1 - margins.bottom + 3))
    for series in [rising, flat] {
        let drawn = pixels(of: series.colour, in: plot.image)
        #expect(drawn.count > 50, "a line and markers should cover more than 50 pixels, got \(drawn.count)")
        #expect(drawn.allSatisfy { area.x.contains($0.x) && area.y.contains($0.y) }, "series pixels outside the plotting area")
    }
    // The rising series' first point (0, 0) sits at the bottom-left corner of the area; its marker is there.
    let corner = pixels(of: rising.colour, in: plot.image).filter { abs($0.x - margins.left) <= 2 && abs($0.y - (199 - margins.bottom)) <= 2 }
    #expect(!corner.isEmpty)
    // The flat series' point at x = 5 is outside the range and not drawn: nothing right of x = 0.9.
    let rightmost = pixels(of: flat.colour, in: plot.image).map(\.x).max() ?? 0
    #expect(rightmost <= margins.left + Int((0.9 * Double(300 - 1 - margins.right - margins.left)).rounded()) + 3)
}

@Test func ticksAreRoundAndCoverTheRange() {
    let ticks = LinePlot.ticks(0...0.95)
    #expect(ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8"])
    #expect(LinePlot.ticks(-3...12).map(\.label) == ["0", "5", "10"])
    #expect(LinePlot.ticks(-0.35...0.1).map(\.label) == ["-0.3", "-0.2", "-0.1", "0.0", "0.1"])
    let automatic = LinePlot(series: [LinePlot.Series(points: [(1, 2), (3, 4)], colour: LinePlot.palette[2], marker: .triangle)])
    #expect(automatic.yRange.lowerBound == 0 && automatic.yRange.upperBound > 4 && automatic.xRange.lowerBound < 1)
}
