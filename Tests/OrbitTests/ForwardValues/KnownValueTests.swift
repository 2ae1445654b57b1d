import Foundation
import Orbit
import Testing
import _OrbitTestSupport

// Values known exactly, and the special values NaN and infinity, in float32 and float64 (STYLE T10).

private let floatTypes: [DType] = [.float32, .float64]

@Test(arguments: floatTypes)
func elementaryFunctionsAtTheirExactPoints(_ dtype: DType) {
    let zero = Tensor([0], shape: [1], dtype: dtype), one = Tensor([1], shape: [1], dtype: dtype)
    #expect(exp(zero).item == 1)
    #expect(log(one).item == 0)
    #expect(sigmoid(zero).item == 0.5)
    #expect(tanh(zero).item == 0)
    #expect(sqrt(Tensor([4, 0, 2.25], shape: [3], dtype: dtype)).doubles == [2, 0, 1.5])
    #expect(pow(Tensor([2, 3], shape: [2], dtype: dtype), 3).doubles == [8, 27])
    #expect(pow(Tensor([0, 5], shape: [2], dtype: dtype), 0).doubles == [1, 1])
    #expect(relu(Tensor([-1, 0, 2], shape: [3], dtype: dtype)).doubles == [0, 0, 2])
}

@Test(arguments: floatTypes)
func saturatingFunctionsReachTheirLimits(_ dtype: DType) {
    let large = Tensor([20, -20, 50, -50, .infinity, -.infinity], shape: [6], dtype: dtype)
    #expect(tanh(large).doubles == [1, -1, 1, -1, 1, -1])
    let sigmoidValues = sigmoid(large).doubles
    #expect(sigmoidValues[2] == 1 && sigmoidValues[4] == 1)
    #expect(sigmoidValues[5] == 0)
    #expect(sigmoidValues[3] >= 0 && sigmoidValues[3] < 1e-21)
    #expect(exp(Tensor([.infinity, -.infinity, 1000, -1000], shape: [4], dtype: dtype)).doubles == [.infinity, 0, .infinity, 0])
}

@Test(arguments: floatTypes)
func logOutsideItsDomain(_ dtype: DType) {
    let values = log(Tensor([0, -1, .infinity, -0.0], shape: [4], dtype: dtype)).doubles
    #expect(values[0] == -.infinity)
    #expect(values[1].isNaN)
    #expect(values[2] == .infinity)
    #expect(values[3] == -.infinity)
    #expect(sqrt(Tensor([-1], shape: [1], dtype: dtype)).item.isNaN)
    #expect(pow(Tensor([-8], shape: [1], dtype: dtype), 1.5).item.isNaN)
}

@Test(arguments: floatTypes)
func nanPropagatesThroughElementwiseOps(_ dtype: DType) {
    // Nine elements with NaN in the SIMD tail (index 8) as well as in the first vector (index 2).
    var values = [Double](repeating: 1, count: 9)
    values[2] = .nan
    values[8] = .nan
    let x = Tensor(values, shape: [9], dtype: dtype)
    let unaryResults: [(String, Tensor)] = [("negate", -x), ("exp", exp(x)), ("log", log(x)), ("sqrt", sqrt(x)), ("abs", abs(x)),
                                            ("tanh", tanh(x)), ("sigmoid", sigmoid(x)), ("relu", relu(x)),
                                            ("leakyRelu", leakyRelu(x)), ("pow", pow(x, 1.7))]
    for (name, result) in unaryResults {
        let output = result.doubles
        #expect(output[2].isNaN && output[8].isNaN, "\(name)")
        #expect(!output[0].isNaN && !output[7].isNaN, "\(name)")
    }
}

@Test(arguments: floatTypes)
func maximumAndMinimumPropagateNaN(_ dtype: DType) {
    let a = Tensor([.nan, 1, 2, .nan, 0, 0, 0, 0, 5], shape: [9], dtype: dtype)
    let b = Tensor([3, .nan, 1, .nan, 0, 0, 0, 0, .nan], shape: [9], dtype: dtype)
    for result in [maximum(a, b), maximum(b, a), minimum(a, b), minimum(b, a)] {
        let values = result.doubles
        #expect(values[0].isNaN && values[1].isNaN && values[3].isNaN && values[8].isNaN)
        #expect(!values[2].isNaN && !values[4].isNaN)
    }
    #expect(maximum(a, b).doubles[2] == 2)
    #expect(minimum(a, b).doubles[2] == 1)
    // A NaN scalar broadcast against a vector poisons every element.
    let nanScalar = Tensor([.nan], shape: [], dtype: dtype)
    #expect(maximum(nanScalar, a).doubles.allSatisfy { $0.isNaN })
}

@Test(arguments: floatTypes)
func reductionsOfSpecialValues(_ dtype: DType) {
    let x = Tensor([1, .infinity, 3, -.infinity], shape: [4], dtype: dtype)
    #expect(x.max().item == .infinity)
    #expect(x.min().item == -.infinity)
    #expect(x.sum().item.isNaN)
    #expect(Tensor([-.infinity, -.infinity], shape: [2], dtype: dtype).max().item == -.infinity)
    #expect(Tensor([1, .nan, 3], shape: [3], dtype: dtype).sum().item.isNaN)
    #expect(Tensor([1, .nan, 3], shape: [3], dtype: dtype).mean().item.isNaN)
}

@Test(arguments: floatTypes)
func absOfNegativeZeroIsPositiveZero(_ dtype: DType) {
    // |−0| = +0 (IEEE 754 abs clears the sign bit; Swift, C and PyTorch agree).
    let values = abs(Tensor([-0.0, 0.0, -2], shape: [3], dtype: dtype)).doubles
    #expect(values[0] == 0 && values[0].sign == .plus, "abs(-0) = \(values[0])")
    #expect(values[1] == 0 && values[1].sign == .plus)
    #expect(values[2] == 2)
}

@Test func integerConversionsTruncateTowardZero() {
    let x = Tensor([-2.7, -0.5, 0.5, 2.7, 3] as [Double], shape: [5])
    #expect(x.converted(to: .int64).scalars(as: Int64.self) == [-2, 0, 0, 2, 3])
    #expect(x.converted(to: .bool).scalars(as: Bool.self) == [true, true, true, true, true])
    #expect(Tensor([0, 1.5] as [Double], shape: [2]).converted(to: .bool).scalars(as: Bool.self) == [false, true])
    #expect(Tensor([1, -3] as [Int64], shape: [2]).converted(to: .float32).scalars(as: Float.self) == [1, -3])
    let rounded = Tensor([0.1] as [Double], shape: [1]).converted(to: .float32)
    #expect(rounded.scalars(as: Float.self) == [Float(0.1)])
}
