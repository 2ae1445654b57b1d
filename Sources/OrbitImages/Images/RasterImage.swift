import Foundation
import Orbit

/// A grayscale or RGB picture with values in [0, 1], to be saved as PNG: pictures of sequences
/// (ground truth against predictions, see `tiled(rows:firstColumns:separatorValue:)`) and heat maps.
///
/// Pixels are row-major from the top-left, channels interleaved (HWC): `pixels[(y * width + x) *
/// channels + c]`. Values are clamped to [0, 1] and rounded to 8 bits when encoded; NaN becomes 0.
public struct RasterImage: Sendable, Equatable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// 1 (grayscale) or 3 (red, green, blue).
    public let channels: Int
    /// `height * width * channels` values in [0, 1], HWC order.
    public var pixels: [Float]

    /// An image; stops the program unless `channels` is 1 or 3, the size is positive and `pixels` fills it.
    public init(width: Int, height: Int, channels: Int, pixels: [Float]) {
        requireArgument(channels == 1 || channels == 3, "RasterImage", "channels must be 1 or 3, got \(channels)")
        requireArgument(width >= 1 && height >= 1, "RasterImage", "size \(width)x\(height) must be positive")
        requireArgument(pixels.count == width * height * channels, "RasterImage",
                        "\(pixels.count) values do not fill \(width)x\(height)x\(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image of one colour (`value` in every channel).
    public init(width: Int, height: Int, channels: Int, filledWith value: Float) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [Float](repeating: value, count: max(width * height * channels, 0)))
    }

    /// The encoded PNG file (see `PNG`).
    public func pngData() -> [UInt8] { PNG.encode(self) }

    /// Writes the PNG file to `url`; throws Foundation's error (which names the path) when it cannot.
    public func writePNG(to url: URL) throws {
        try Data(pngData()).write(to: url, options: .atomic)
    }

    /// Frames laid out in a grid, one row per sequence (or per model) and one column per time step,
    /// with 1-pixel separators of `separatorValue` between tiles.
    ///
    /// Each row is a tensor `[T, C, H, W]` (C = 1 or 3) or `[T, H, W]`; all rows share C, H and W. Row r
    /// starts at column `firstColumns[r]` (0 by default), so predictions can sit under the frames they
    /// predict; cells without a frame show the separator colour.
    /// ```swift
    /// let picture = RasterImage.tiled(rows: [truth[b], gruPrediction[b], fernnPrediction[b]], firstColumns: [0, 10, 10])
    /// ```
    public static func tiled(rows: [Tensor], firstColumns: [Int]? = nil, separatorValue: Float = 0.5) -> RasterImage {
        requireArgument(!rows.isEmpty, "RasterImage.tiled", "no rows to tile")
        let firstColumns = firstColumns ?? [Int](repeating: 0, count: rows.count)
        requireArgument(firstColumns.count == rows.count && firstColumns.allSatisfy { $0 >= 0 }, "RasterImage.tiled",
                        "need one non-negative first column per row, got \(firstColumns) for \(rows.count) rows")
        let shapes = rows.map { $0.rank == 3 ? [$0.shape[0], 1, $0.shape[1], $0.shape[2]] : $0.shape }
        let tile = shapes[0].dropFirst()
        requireArgument(shapes.allSatisfy { $0.count == 4 && $0.dropFirst() == tile } && (tile.first == 1 || tile.first == 3),
                        "RasterImage.tiled", "rows must all be [T, C, H, W] (or [T, H, W]) with C 1 or 3 and equal C, H, W; got \(rows.map(\.shape))")
        let (channels, frameHeight, frameWidth) = (shapes[0][1], shapes[0][2], shapes[0][3])
        let columns = zip(shapes, firstColumns).map { $0[0] + $1 }.max() ?? 0
        requireArgument(columns >= 1, "RasterImage.tiled", "the rows hold no frames")
        let width = columns * (frameWidth + 1) - 1, height = rows.count * (frameHeight + 1) - 1
        var image = RasterImage(width: width, height: height, channels: channels, filledWith: separatorValue)
        for (row, (frames, firstColumn)) in zip(rows, firstColumns).enumerated() {
            let values = frames.doubles
            let frameSize = channels * frameHeight * frameWidth
            for time in 0..<(values.count / frameSize) {
                let (top, left) = (row * (frameHeight + 1), (firstColumn + time) * (frameWidth + 1))
                for y in 0..<frameHeight {
                    for x in 0..<frameWidth {
                        for channel in 0..<channels {
                            // Frames are CHW; the image is HWC.
                            let value = values[time * frameSize + (channel * frameHeight + y) * frameWidth + x]
                            image.pixels[((top + y) * width + left + x) * channels + channel] = Float(value)
                        }
                    }
                }
            }
        }
        return image
    }
}
