/// Moves [images, channels, H, W] planes by real shifts on the torus with bilinear interpolation and
/// wrap-around: image i by `shifts[i % shifts.count]` = (dy, dx), content moving down by dy rows and right
/// by dx columns (as `Tensor.rolled`). Writing d = n + f with n = ⌊d⌋ and f ∈ [0, 1), along each axis
///
///     y[i] = (1 - f) · x[(i - n) mod size] + f · x[(i - n - 1) mod size],
///
/// and the 2-D map is the product of the two (four taps). A whole-pixel shift (f = 0) reads one tap and
/// is an exact roll. The transpose of the shift by d is the shift by -d (-d = (-n - 1) + (1 - f) reads
/// the same two taps with the same weights), so the pullback is this kernel with negated shifts.
/// Computed in the element type.
public func bilinearShift(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, images: Int, channels: Int,
                          height: Int, width: Int, shifts: [[Double]]) {
    shiftBilinearly(input, output, images: images, channels: channels, height: height, width: width, shifts: shifts)
}

public func bilinearShift(_ input: UnsafePointer<Double>, _ output: UnsafeMutablePointer<Double>, images: Int, channels: Int,
                          height: Int, width: Int, shifts: [[Double]]) {
    shiftBilinearly(input, output, images: images, channels: channels, height: height, width: width, shifts: shifts)
}

/// One axis of a bilinear shift: for each output index, the two source indices and their weights.
private struct ShiftTaps<T: KernelFloat> {
    let near: [Int], far: [Int]
    let nearWeight: T, farWeight: T

    init(size: Int, shift: Double) {
        let whole = shift.rounded(.down)
        let fraction = shift - whole
        let n = Int(whole)
        near = (0..<size).map { (($0 - n) % size + size) % size }
        far = (0..<size).map { (($0 - n - 1) % size + size) % size }
        (nearWeight, farWeight) = (T(1 - fraction), T(fraction))
    }

    var isWhole: Bool { farWeight == 0 }
}

private func shiftBilinearly<T: KernelFloat>(_ input: UnsafePointer<T>, _ output: UnsafeMutablePointer<T>, images: Int, channels: Int,
                                             height: Int, width: Int, shifts: [[Double]]) {
    precondition(!shifts.isEmpty && shifts.allSatisfy { $0.count == 2 }, "bilinearShift: one (dy, dx) per image")
    let area = height * width
    guard area > 0 else { return }
    let taps = shifts.map { (rows: ShiftTaps<T>(size: height, shift: $0[0]), columns: ShiftTaps<T>(size: width, shift: $0[1])) }
    Parallel.forEachRange(images * channels, grain: Parallel.grain(costPerElement: 4 * area)) { range in
        for index in range {
            let (rows, columns) = taps[(index / channels) % taps.count]
            let source = input + index * area, destination = output + index * area
            for row in 0..<height {
                let near = source + rows.near[row] * width, far = source + rows.far[row] * width
                let target = destination + row * width
                if rows.isWhole && columns.isWhole {
                    for column in 0..<width { target[column] = near[columns.near[column]] }
                } else if rows.isWhole {
                    for column in 0..<width {
                        target[column] = columns.nearWeight * near[columns.near[column]] + columns.farWeight * near[columns.far[column]]
                    }
                } else {
                    for column in 0..<width {
                        let nearRow = columns.nearWeight * near[columns.near[column]] + columns.farWeight * near[columns.far[column]]
                        let farRow = columns.nearWeight * far[columns.near[column]] + columns.farWeight * far[columns.far[column]]
                        target[column] = rows.nearWeight * nearRow + rows.farWeight * farRow
                    }
                }
            }
        }
    }
}
