/// The five scanline filters of PNG filter method 0 (ISO/IEC 15948 §9.2, RFC 2083 §6): each byte is
/// sent as its difference (mod 256) from a prediction made from the byte one pixel to the left (a),
/// the byte above (b) and the byte above and to the left (c), with 0 for bytes outside the image.
///
/// `filteredScanlines` picks a filter per row with the heuristic the standard suggests for truecolour
/// and greyscale images (ISO/IEC 15948 §12.8, RFC 2083 §9.6): the filter whose output has the smallest
/// sum of absolute values, each byte read as a signed difference. Runs of equal bytes and smooth ramps
/// become runs of zeros that DEFLATE then stores in a few bits.
enum PNGFilter: UInt8, CaseIterable {
    /// x
    case none = 0
    /// x - a
    case sub = 1
    /// x - b
    case up = 2
    /// x - floor((a + b) / 2)
    case average = 3
    /// x - (whichever of a, b, c is nearest to a + b - c; ties to a, then b)
    case paeth = 4

    /// The scanlines of `pixels` (`height` rows of `rowBytes` bytes), each its filter type byte then the
    /// filtered row, with filters chosen row by row.
    static func filteredScanlines(_ pixels: [UInt8], rowBytes: Int, height: Int, bytesPerPixel: Int) -> [UInt8] {
        guard pixels.count == rowBytes * height else {
            fatalError("PNGFilter: \(pixels.count) bytes are not \(height) rows of \(rowBytes)")
        }
        var scanlines = [UInt8](repeating: 0, count: height * (rowBytes + 1))
        let zeroRow = [UInt8](repeating: 0, count: rowBytes)
        var candidate = [UInt8](repeating: 0, count: rowBytes)
        pixels.withUnsafeBufferPointer { pixels in
            zeroRow.withUnsafeBufferPointer { zeroRow in
                for row in 0..<height {
                    let current = UnsafeBufferPointer(rebasing: pixels[(row * rowBytes)..<((row + 1) * rowBytes)])
                    let above = row == 0 ? zeroRow : UnsafeBufferPointer(rebasing: pixels[((row - 1) * rowBytes)..<(row * rowBytes)])
                    let start = row * (rowBytes + 1)
                    var bestScore = Int.max
                    for filter in PNGFilter.allCases {
                        let score = candidate.withUnsafeMutableBufferPointer { output in
                            filter.apply(current, above: above, bytesPerPixel: bytesPerPixel, into: output)
                        }
                        if score < bestScore {
                            bestScore = score
                            scanlines[start] = filter.rawValue
                            scanlines.replaceSubrange((start + 1)..<(start + 1 + rowBytes), with: candidate)
                        }
                    }
                }
            }
        }
        return scanlines
    }

    /// Writes the filtered `row` into `output` and returns the sum of the absolute values of the
    /// filtered bytes read as signed (the selection score). One loop per filter, so each stays simple
    /// enough for the compiler to vectorize; bytes of the first pixel have no left neighbours.
    func apply(_ row: UnsafeBufferPointer<UInt8>, above: UnsafeBufferPointer<UInt8>, bytesPerPixel: Int,
               into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let count = row.count, first = min(bytesPerPixel, count)
        switch self {
        case .none:
            for index in 0..<count { output[index] = row[index] }
        case .sub:
            for index in 0..<first { output[index] = row[index] }
            for index in first..<count { output[index] = row[index] &- row[index - bytesPerPixel] }
        case .up:
            for index in 0..<count { output[index] = row[index] &- above[index] }
        case .average:
            for index in 0..<first { output[index] = row[index] &- above[index] >> 1 }
            for index in first..<count {
                output[index] = row[index] &- UInt8((UInt16(row[index - bytesPerPixel]) + UInt16(above[index])) >> 1)
            }
        case .paeth:
            // With no left neighbours the prediction is always the byte above.
            for index in 0..<first { output[index] = row[index] &- above[index] }
            for index in first..<count {
                let prediction = PNGFilter.paethPredictor(Int(row[index - bytesPerPixel]), Int(above[index]),
                                                          Int(above[index - bytesPerPixel]))
                output[index] = row[index] &- UInt8(prediction)
            }
        }
        var score = 0
        for index in 0..<count { score += Int(Int8(bitPattern: output[index]).magnitude) }
        return score
    }

    /// The Paeth predictor (ISO/IEC 15948 §9.4): of a, b and c, the one closest to a + b - c.
    @inline(__always)
    static func paethPredictor(_ left: Int, _ up: Int, _ upperLeft: Int) -> Int {
        let estimate = left + up - upperLeft
        let (toLeft, toUp, toUpperLeft) = (abs(estimate - left), abs(estimate - up), abs(estimate - upperLeft))
        if toLeft <= toUp && toLeft <= toUpperLeft { return left }
        return toUp <= toUpperLeft ? up : upperLeft
    }
}
