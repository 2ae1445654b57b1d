/// Max and average pooling over windows of [N·C planes, H, W] (PyTorch `max_pool2d` / `avg_pool2d`
/// without ceil mode or dilation). Windows may hang over the border by `padding`; padded positions
/// never win a max and count toward an average only when `countPadding`.
public struct PoolingGeometry: Sendable, Equatable {
    public var planes: Int
    public var inputSize: (height: Int, width: Int)
    public var kernelSize: (height: Int, width: Int)
    public var stride: (height: Int, width: Int)
    public var padding: (height: Int, width: Int)

    public init(planes: Int, inputSize: (Int, Int), kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)) {
        self.planes = planes
        self.inputSize = inputSize
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    public var outputSize: (height: Int, width: Int) {
        ((inputSize.height + 2 * padding.height - kernelSize.height) / stride.height + 1,
         (inputSize.width + 2 * padding.width - kernelSize.width) / stride.width + 1)
    }

    public static func == (a: PoolingGeometry, b: PoolingGeometry) -> Bool {
        a.planes == b.planes && a.inputSize == b.inputSize && a.kernelSize == b.kernelSize
            && a.stride == b.stride && a.padding == b.padding
    }

    /// Calls `body(outputIndex, rows, columns)` for every output position of one plane with the
    /// window's in-bounds input rows and columns.
    @inline(__always)
    func forEachWindow(_ body: (Int, Range<Int>, Range<Int>) -> Void) {
        let output = outputSize
        for row in 0..<output.height {
            let top = row * stride.height - padding.height
            let rows = max(0, top)..<min(inputSize.height, top + kernelSize.height)
            for column in 0..<output.width {
                let left = column * stride.width - padding.width
                let columns = max(0, left)..<min(inputSize.width, left + kernelSize.width)
                body(row * output.width + column, rows, columns)
            }
        }
    }
}

/// Max pooling; `argmax` receives, per output, the flat in-plane index of the (first) maximum.
public func maxPoolForward(_ geometry: PoolingGeometry, _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int64>) {
    maxPool(geometry, input, output, argmax)
}

public func maxPoolForward(_ geometry: PoolingGeometry, _ input: UnsafePointer<Double>, _ output: UnsafeMutablePointer<Double>, argmax: UnsafeMutablePointer<Int64>) {
    maxPool(geometry, input, output, argmax)
}

/// Sends each output cotangent to its window's maximum (inputGradient is overwritten).
public func maxPoolBackward(_ geometry: PoolingGeometry, _ outputGradient: UnsafePointer<Float>, argmax: UnsafePointer<Int64>, _ inputGradient: UnsafeMutablePointer<Float>) {
    maxPoolAdjoint(geometry, outputGradient, argmax, inputGradient)
}

public func maxPoolBackward(_ geometry: PoolingGeometry, _ outputGradient: UnsafePointer<Double>, argmax: UnsafePointer<Int64>, _ inputGradient: UnsafeMutablePointer<Double>) {
    maxPoolAdjoint(geometry, outputGradient, argmax, inputGradient)
}

/// Average pooling; the divisor is the window area (with padding) or the in-bounds count.
public func averagePoolForward(_ geometry: PoolingGeometry, countPadding: Bool, _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
    averagePool(geometry, countPadding, input, output)
}

public func averagePoolForward(_ geometry: PoolingGeometry, countPadding: Bool, _ input: UnsafePointer<Double>, _ output: UnsafeMutablePointer<Double>) {
    averagePool(geometry, countPadding, input, output)
}

/// The adjoint of average pooling (inputGradient is overwritten).
public func averagePoolBackward(_ geometry: PoolingGeometry, countPadding: Bool, _ outputGradient: UnsafePointer<Float>, _ inputGradient: UnsafeMutablePointer<Float>) {
    averagePoolAdjoint(geometry, countPadding, outputGradient, inputGradient)
}

public func averagePoolBackward(_ geometry: PoolingGeometry, countPadding: Bool, _ outputGradient: UnsafePointer<Double>, _ inputGradient: UnsafeMutablePointer<Double>) {
    averagePoolAdjoint(geometry, countPadding, outputGradient, inputGradient)
}

private func forEachPlane(_ geometry: PoolingGeometry, _ body: (_ plane: Int) -> Void) {
    let work = geometry.inputSize.height * geometry.inputSize.width + 1
    Parallel.forEachRange(geometry.planes, grain: max(1, (1 << 15) / work)) { planes in
        for plane in planes { body(plane) }
    }
}

private func maxPool<T: KernelFloat>(_ g: PoolingGeometry, _ input: UnsafePointer<T>, _ output: UnsafeMutablePointer<T>,
                                     _ argmax: UnsafeMutablePointer<Int64>) {
    let (inputArea, outputArea) = (g.inputSize.height * g.inputSize.width, g.outputSize.height * g.outputSize.width)
    forEachPlane(g) { plane in
        let source = input + plane * inputArea
        g.forEachWindow { index, rows, columns in
            var best = -T.infinity, bestIndex = rows.lowerBound * g.inputSize.width + columns.lowerBound
            search: for row in rows {
                for column in columns {
                    let position = row * g.inputSize.width + column
                    let value = source[position]
                    if value > best || value.isNaN {
                        best = value
                        bestIndex = position
                        if value.isNaN { break search }
                    }
                }
            }
            output[plane * outputArea + index] = best
            argmax[plane * outputArea + index] = Int64(bestIndex)
        }
    }
}

private func maxPoolAdjoint<T: KernelFloat>(_ g: PoolingGeometry, _ outputGradient: UnsafePointer<T>, _ argmax: UnsafePointer<Int64>,
                                            _ inputGradient: UnsafeMutablePointer<T>) {
    let (inputArea, outputArea) = (g.inputSize.height * g.inputSize.width, g.outputSize.height * g.outputSize.width)
    forEachPlane(g) { plane in
        let destination = inputGradient + plane * inputArea
        destination.update(repeating: 0, count: inputArea)
        for index in 0..<outputArea {
            destination[Int(argmax[plane * outputArea + index])] += outputGradient[plane * outputArea + index]
        }
    }
}

private func averagePool<T: KernelFloat>(_ g: PoolingGeometry, _ countPadding: Bool, _ input: UnsafePointer<T>,
                                         _ output: UnsafeMutablePointer<T>) {
    let (inputArea, outputArea) = (g.inputSize.height * g.inputSize.width, g.outputSize.height * g.outputSize.width)
    let windowArea = T(g.kernelSize.height * g.kernelSize.width)
    forEachPlane(g) { plane in
        let source = input + plane * inputArea
        g.forEachWindow { index, rows, columns in
            var sum: T = 0
            for row in rows { for column in columns { sum += source[row * g.inputSize.width + column] } }
            output[plane * outputArea + index] = sum / (countPadding ? windowArea : T(rows.count * columns.count))
        }
    }
}

private func averagePoolAdjoint<T: KernelFloat>(_ g: PoolingGeometry, _ countPadding: Bool, _ outputGradient: UnsafePointer<T>,
                                                _ inputGradient: UnsafeMutablePointer<T>) {
    let (inputArea, outputArea) = (g.inputSize.height * g.inputSize.width, g.outputSize.height * g.outputSize.width)
    let windowArea = T(g.kernelSize.height * g.kernelSize.width)
    forEachPlane(g) { plane in
        let destination = inputGradient + plane * inputArea
        destination.update(repeating: 0, count: inputArea)
        g.forEachWindow { index, rows, columns in
            let share = outputGradient[plane * outputArea + index] / (countPadding ? windowArea : T(rows.count * columns.count))
            for row in rows { for column in columns { destination[row * g.inputSize.width + column] += share } }
        }
    }
}
