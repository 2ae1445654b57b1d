import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// The worked example of Docs/ApproximateEquivariance.md, run as written there.

@Test func approximateEquivarianceWorkedExample() {
    let c4 = CyclicGroup(order: 4)
    var generator = RandomGenerator(seed: 0)
    let lift = VectorFieldLift(group: c4, fields: 1, dtype: .float64)
    let hidden = RelaxedGroupConvolution(group: c4, inputFields: 1, outputFields: 4, kernelSize: 3, bankCount: 2, padding: 1,
                                         dtype: .float64, using: &generator)
    let output = RelaxedGroupConvolution(group: c4, inputFields: 4, outputFields: 1, kernelSize: 3, bankCount: 2, padding: 1,
                                         dtype: .float64, using: &generator)
    let projection = VectorFieldProjection(group: c4, fields: 1, dtype: .float64)
    let model = { (velocity: Tensor) in projection(output(relu(hidden(lift(velocity))))) }  // [N, 2, H, W] -> [N, 2, H, W]

    let velocity = Tensor.randomNormal([2, 2, 15, 15], dtype: .float64, using: &generator)
    func errors() -> [Double] {
        equivarianceErrors(of: model, input: velocity, inputType: lift.inputType, outputType: projection.outputType,
                           elements: c4.elements).map(\.error)
    }
    let fresh = errors()
    // What training might do to the combination weights: make them depend on the rotation.
    hidden.combinationWeights.value = hidden.combinationWeights.value
        + Tensor.randomNormal([2, 4], standardDeviation: 0.1, dtype: .float64, using: &generator)
    let relaxed = errors()
    let penalty = relaxedGroupRegularizer([hidden, output], alpha: 1e-3)  // add to the loss

    #expect(fresh.allSatisfy { $0 < 1e-13 }, "\(fresh)")
    #expect(relaxed.dropFirst().allSatisfy { $0 > 1e-2 }, "\(relaxed)")
    #expect(penalty.shape == [] && penalty.item > 0)
}
