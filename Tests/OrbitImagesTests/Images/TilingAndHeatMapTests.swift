import Orbit
import Testing
@testable import OrbitImages

/// `count` frames `[count, 1, 2, 3]` whose pixel (t, y, x) is `base + t/10 + y/100 + x/1000`: every
/// value says where it came from.
private func labelledFrames(_ count: Int, base: Double) -> Tensor {
    var values: [Float] = []
    for time in 0..<count {
        for y in 0..<2 {
            for x in 0..<3 { values.append(Float(base + Double(time) / 10 + Double(y) / 100 + Double(x) / 1000)) }
        }
    }
    return Tensor(values, shape: [count, 1, 2, 3])
}

@Test func tilesSitOnTheGridWithSeparatorsAndOffsetRows() {
    // Row 0: 3 frames of ground truth from column 0; row 1: 2 predictions under frames 1 and 2.
    let truth = labelledFrames(3, base: 0.1), prediction = labelledFrames(2, base: 0.5)
    let image = RasterImage.tiled(rows: [truth, prediction], firstColumns: [0, 1], separatorValue: 0.05)
    #expect(image.channels == 1 && image.width == 3 * 4 - 1 && image.height == 2 * 3 - 1)
    func pixel(_ y: Int, _ x: Int) -> Float { image.pixels[y * image.width + x] }
    for (row, frames, first) in [(0, truth, 0), (1, prediction, 1)] {
        let values = frames.scalars(as: Float.self)
        for time in 0..<frames.shape[0] {
            for y in 0..<2 {
                for x in 0..<3 {
                    #expect(pixel(row * 3 + y, (first + time) * 4 + x) == values[(time * 2 + y) * 3 + x], "row \(row) t \(time) (\(y), \(x))")
                }
            }
        }
    }
    // The separator row and columns, and the empty cell before the predictions.
    #expect((0..<image.width).allSatisfy { pixel(2, $0) == 0.05 })
    #expect((0..<image.height).allSatisfy { pixel($0, 3) == 0.05 && pixel($0, 7) == 0.05 })
    #expect((3..<5).allSatisfy { y in (0..<3).allSatisfy { pixel(y, $0) == 0.05 } })
}

@Test func rankThreeRowsAndRGBFramesTile() {
    let frames = labelledFrames(2, base: 0.2)
    let plain = RasterImage.tiled(rows: [frames])
    #expect(RasterImage.tiled(rows: [frames.reshaped([2, 2, 3])]) == plain)
    #expect(plain.width == 7 && plain.height == 2)
    // RGB: [T, 3, H, W] planes become interleaved HWC pixels.
    let colour = Tensor((0..<(2 * 3 * 2 * 2)).map { Float($0) / 32 }, shape: [2, 3, 2, 2])
    let image = RasterImage.tiled(rows: [colour, colour], firstColumns: [0, 0])
    #expect(image.channels == 3 && image.width == 5 && image.height == 5)
    let values = colour.scalars(as: Float.self)
    for time in 0..<2 {
        for y in 0..<2 {
            for x in 0..<2 {
                for channel in 0..<3 {
                    let expected = values[((time * 3 + channel) * 2 + y) * 2 + x]
                    #expect(image.pixels[((3 + y) * 5 + time * 3 + x) * 3 + channel] == expected)
                }
            }
        }
    }
    // A tiled picture encodes as an RGB PNG of the same size.
    let png = try? readPNG(image.pngData())
    #expect(png?.width == 5 && png?.height == 5 && png?.colourType == 2)
}

/// Relative luminance (Rec. 709 weights) of a colour.
private func luminance(_ colour: (red: Float, green: Float, blue: Float)) -> Float {
    0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue
}

@Test func colourMapRunsFromViridisPurpleToYellowWithRisingLuminance() {
    let low = HeatMap.colour(0), high = HeatMap.colour(1)
    #expect(low == (Float(0x44) / 255, Float(0x01) / 255, Float(0x54) / 255))
    #expect(high == (Float(0xFD) / 255, Float(0xE7) / 255, Float(0x25) / 255))
    let levels = (0...200).map { luminance(HeatMap.colour(Double($0) / 200)) }
    #expect(zip(levels, levels.dropFirst()).allSatisfy { $0 < $1 })
    // Outside [0, 1] clamps; NaN is the bottom of the scale.
    #expect(HeatMap.colour(-3) == low && HeatMap.colour(7) == high && HeatMap.colour(.nan) == low)
}

@Test func heatMapCellsAreOrderedByValueOnBothScales() {
    let values: [[Double]] = [[3e-4, 1e-3, 2e-3], [5e-3, 1e-2, 4e-4]]
    for scale in [HeatMap.Scale.linear, .logarithmic] {
        let map = HeatMap(values: values, cellSize: 4, scale: scale)
        #expect(map.image.width == 12 && map.image.height == 8 && map.image.channels == 3)
        #expect(map.minimum == 3e-4 && map.maximum == 1e-2)
        func cell(_ row: Int, _ column: Int) -> (red: Float, green: Float, blue: Float) {
            // Every pixel of a cell has the cell's colour; read the bottom-right one.
            let pixel = (((row + 1) * 4 - 1) * 12 + (column + 1) * 4 - 1) * 3
            let p = map.image.pixels
            let colour = (p[pixel], p[pixel + 1], p[pixel + 2])
            let corner = ((row * 4) * 12 + column * 4) * 3
            #expect((p[corner], p[corner + 1], p[corner + 2]) == colour)
            return colour
        }
        let ordered = values.indices.flatMap { row in values[row].indices.map { (row, $0) } }
            .sorted { values[$0.0][$0.1] < values[$1.0][$1.1] }
        let levels = ordered.map { luminance(cell($0.0, $0.1)) }
        #expect(zip(levels, levels.dropFirst()).allSatisfy { $0 < $1 }, "\(scale): \(levels)")
        #expect(cell(0, 0) == HeatMap.colour(0) && cell(1, 1) == HeatMap.colour(1))
    }
    // On the log scale, 1e-3 is half way between 1e-4 and 1e-2.
    let decades = HeatMap(values: [[1e-4, 1e-3, 1e-2]], cellSize: 1, scale: .logarithmic).image.pixels
    let middle = HeatMap.colour(0.5)
    #expect((decades[3], decades[4], decades[5]) == middle)
}

@Test func undrawableValuesAreGreyAndEqualValuesMidScale() {
    let map = HeatMap(values: [[.nan, 2, -1], [.infinity, 0, 2]], cellSize: 1, scale: .logarithmic)
    #expect(map.minimum == 2 && map.maximum == 2)
    let p = map.image.pixels
    for grey in [0, 2, 3, 4] { #expect(p[(3 * grey)..<(3 * grey + 3)].allSatisfy { $0 == 0.5 }, "cell \(grey)") }
    let middle = HeatMap.colour(0.5)
    #expect((p[3], p[4], p[5]) == middle && (p[15], p[16], p[17]) == middle)
    let empty = HeatMap(values: [[.nan]])
    #expect(empty.minimum == nil && empty.maximum == nil && empty.image.pixels.allSatisfy { $0 == 0.5 })
}
