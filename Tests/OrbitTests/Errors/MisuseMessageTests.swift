import Testing
import Orbit

// Misuse stops the program with a message that names the op, the shapes it got and what it expected,
// in release builds too (STYLE C7). Each case runs in a child process (an exit test) and the test
// checks standard error.

struct Misuse: Sendable, Codable, CustomTestStringConvertible {
    let name: String
    let expectedFragments: [String]
    var testDescription: String { name }
}

/// Each case is run by name inside the child process.
private func perform(_ name: String) {
    let a = Tensor.zeros([2, 3]), b = Tensor.zeros([4])
    switch name {
    case "add": _ = a + b
    case "matmul": _ = matmul(a, Tensor.zeros([4, 5]))
    case "conv2d": _ = conv2d(Tensor.zeros([2, 3, 8, 8]), Tensor.zeros([4, 2, 3, 3]))
    case "reshape": _ = a.reshaped([4, 2])
    case "axis": _ = a.sum(axis: 2)
    case "dtype": _ = a + Tensor.zeros([2, 3], dtype: .float64)
    case "seed": _ = gradient(at: [a]) { $0[0] * 2 }
    case "gather": _ = a.gathered(along: 1, indices: Tensor([0, 3, 1, 0, 0, 0] as [Int64], shape: [2, 3]))
    case "concatenate": _ = concatenate([a, Tensor.zeros([2, 4]), Tensor.zeros([3, 3])], axis: 1)
    case "integer": _ = exp(Tensor([1, 2] as [Int64], shape: [2]))
    case "pool": _ = maxPool2d(Tensor.zeros([1, 1, 2, 2]), kernelSize: 3)
    case "slice": _ = a.slice(axis: 1, 1..<5)
    case "crossEntropy": _ = crossEntropy(a, labels: Tensor([1, 2, 0] as [Int64], shape: [3]))
    case "translate": _ = translate(Tensor.zeros([1, 2, 4, 4]), by: [[0.5, 1, 2]], interpolation: .fourier)
    default: fatalError("unknown misuse case \(name)")
    }
}

private let misuses: [Misuse] = [
    Misuse(name: "add", expectedFragments: ["Orbit.add", "[2, 3]", "[4]", "broadcast"]),
    Misuse(name: "matmul", expectedFragments: ["Orbit.matmul", "[2, 3]", "[4, 5]", "inner sizes"]),
    Misuse(name: "conv2d", expectedFragments: ["Orbit.conv2d", "[2, 3, 8, 8]", "[4, 2, 3, 3]", "expects 2"]),
    Misuse(name: "reshape", expectedFragments: ["Orbit.reshaped", "[2, 3]", "[4, 2]"]),
    Misuse(name: "axis", expectedFragments: ["Orbit.sum", "axis 2", "rank 2"]),
    Misuse(name: "dtype", expectedFragments: ["Orbit.add", "float32", "float64"]),
    Misuse(name: "seed", expectedFragments: ["Orbit.valueAndGradient", "[2, 3]", "seed"]),
    Misuse(name: "gather", expectedFragments: ["Orbit.gathered", "index 3", "0..<3"]),
    Misuse(name: "concatenate", expectedFragments: ["Orbit.concatenate", "[3, 3]", "axis 1"]),
    Misuse(name: "integer", expectedFragments: ["Orbit.exp", "int64", "[2]"]),
    Misuse(name: "pool", expectedFragments: ["Orbit.maxPool2d", "[1, 1, 2, 2]", "[3, 3]"]),
    Misuse(name: "slice", expectedFragments: ["Orbit.slice", "1..<5", "[2, 3]"]),
    Misuse(name: "crossEntropy", expectedFragments: ["Orbit.crossEntropy", "[2, 3]", "[3]"]),
    Misuse(name: "translate", expectedFragments: ["Orbit.translate", "[[0.5, 1.0, 2.0]]", "[1, 2, 4, 4]", "[dy, dx]"]),
]

@Test(arguments: misuses)
func misuseStopsWithAMessageNamingTheOpAndShapes(_ misuse: Misuse) async {
    let name: String = misuse.name
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [name = name as String] in
        perform(name)
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    for fragment in misuse.expectedFragments {
        #expect(message.contains(fragment), "missing \"\(fragment)\" in: \(message)")
    }
}
