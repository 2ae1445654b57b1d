import Orbit
@testable import OrbitDatasets

/// A pool of `count` fake digits of `size x size` bytes: each a few random strokes (axis-aligned bars of
/// random grey levels) inside the central `size - 8` square, as MNIST's ink sits in the central 20x20;
/// labels cycle 0...9. Cheap to build, no files.
func syntheticDigitPool(count: Int = 32, size: Int = 28, seed: UInt64 = 1) -> DigitPool {
    var generator = RandomGenerator(seed: seed)
    let margin = size >= 12 ? 4 : 0
    let inner = size - 2 * margin
    var pixels = [UInt8](repeating: 0, count: count * size * size)
    for digit in 0..<count {
        for _ in 0..<3 {
            let horizontal = generator.next() % 2 == 0
            let length = 2 + Int(generator.next() % UInt64(max(inner - 2, 1)))
            let along = Int(generator.next() % UInt64(max(inner - length + 1, 1)))
            let across = Int(generator.next() % UInt64(inner))
            let level = UInt8(64 + generator.next() % 192)
            for step in 0..<min(length, inner) {
                let (row, column) = horizontal ? (across, along + step) : (along + step, across)
                pixels[digit * size * size + (margin + row) * size + margin + column] = level
            }
        }
    }
    return DigitPool(pixels: pixels, labels: (0..<count).map { $0 % 10 }, height: size, width: size)
}

/// A pool holding one digit: a `blob` x `blob` full-ink square with its top-left pixel at (`row`, `column`).
func squareDigitPool(size: Int = 28, row: Int, column: Int, blob: Int = 3) -> DigitPool {
    var pixels = [UInt8](repeating: 0, count: size * size)
    for y in row..<(row + blob) {
        for x in column..<(column + blob) { pixels[y * size + x] = 255 }
    }
    return DigitPool(pixels: pixels, labels: [7], height: size, width: size)
}

/// Frame `time` of a sequence as a `[H, W]` tensor.
func frameTensor<Metadata>(_ sequence: FrameSequence<Metadata>, _ time: Int) -> Tensor {
    Tensor(Array(sequence.frame(time)), shape: [sequence.height, sequence.width])
}

/// Pearson's chi-square statistic of `counts` against equal expected counts.
func chiSquareAgainstUniform(_ counts: [Int]) -> Double {
    let expected = Double(counts.reduce(0, +)) / Double(counts.count)
    return counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
}
