import Orbit
import Testing
import _OrbitTestSupport

@Test func gradientOfASimpleExpression() {
    let x = Tensor([1, 2, 3] as [Double], shape: [3])
    let (value, gradients) = valueAndGradient(at: [x]) { inputs in (inputs[0] * inputs[0]).sum() }
    #expect(value.item == 14)
    #expect(gradients[0].doubles == [2, 4, 6])
}
