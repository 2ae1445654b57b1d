import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// The velocity lift of section 3.1 and its projection: an exact round trip for N >= 3, and equivariance
// checked both through the field types and by hand (rotate the grid, rotate the vectors, shift g).

@Suite struct RelaxedVectorFieldLiftTests {
    @Test(arguments: [3, 4, 8])
    func liftThenProjectionRecoversTheVectorField(_ order: Int) {
        let group = CyclicGroup(order: order)
        let lift = VectorFieldLift(group: group, fields: 2, dtype: .float64)
        let projection = VectorFieldProjection(group: group, fields: 2, dtype: .float64)
        let field = randomTensor([2, 4, 5, 6], seed: UInt64(order))
        let lifted = lift(field)
        #expect(lifted.shape == [2, 2 * order, 5, 6])
        expectClose(projection(lifted), field, relativeTolerance: 1e-14)
        // Without the 2/N factor (the reference code) the round trip is N/2 times the field.
        let unnormalized = VectorFieldProjection(group: group, fields: 2, normalized: false, dtype: .float64)
        expectClose(unnormalized(lifted), field * (Double(order) / 2), relativeTolerance: 1e-14)
    }

    @Test func liftAndProjectionAreExactlyEquivariant() {
        for order in [4, 8] {
            let group = CyclicGroup(order: order)
            let lift = VectorFieldLift(group: group, fields: 2, learnableScale: 0.5, dtype: .float64)
            let projection = VectorFieldProjection(group: group, fields: 2, learnableScale: 1.5, dtype: .float64)
            let liftErrors = lift.equivarianceErrors(input: randomTensor([1, 4, 7, 7], seed: 1)).map(\.error)
            #expect(liftErrors.allSatisfy { $0 < 1e-14 }, "C\(order) lift: \(liftErrors)")
            let projectionErrors = projection.equivarianceErrors(input: randomTensor([1, 2 * order, 7, 7], seed: 2)).map(\.error)
            #expect(projectionErrors.allSatisfy { $0 < 1e-14 }, "C\(order) projection: \(projectionErrors)")
        }
    }

    @Test func aQuarterTurnOfTheFieldShiftsTheLiftedAxis() {
        // By hand, independently of FieldType: rotating the field by 90° counter-clockwise moves the grid
        // (rotated90) and turns each vector (u, v) into (-v, u); the lift then equals the lift of the
        // original, on the rotated grid, with g shifted by N/4.
        let order = 8
        let lift = VectorFieldLift(group: CyclicGroup(order: order), fields: 1, dtype: .float64)
        let field = randomTensor([1, 2, 6, 6], seed: 3)
        let (u, v) = (field.slice(axis: 1, 0..<1), field.slice(axis: 1, 1..<2))
        let rotated = concatenate([-1 * v, u], axis: 1).rotated90(1)
        let expected = lift(field).rotated90(1).rolled(shifts: [order / 4], axes: [1])
        expectClose(lift(rotated), expected, relativeTolerance: 1e-14)
        // x_g = u cos θ_g + v sin θ_g at g = 0 (u), g = N/4 (v), g = N/2 (-u).
        let lifted = lift(field)
        expectClose(lifted.slice(axis: 1, 0..<1), u, relativeTolerance: 0)
        expectClose(lifted.slice(axis: 1, 2..<3), v, relativeTolerance: 0)
        expectClose(lifted.slice(axis: 1, 4..<5), -1 * u, relativeTolerance: 0)
    }

    @Test func liftAndProjectionHaveCorrectGradients() {
        let group = CyclicGroup(order: 4)
        let lift = VectorFieldLift(group: group, fields: 2, learnableScale: 0.5, dtype: .float64)
        let projection = VectorFieldProjection(group: group, fields: 2, learnableScale: 1.5, dtype: .float64)
        let field = randomTensor([1, 4, 3, 3], seed: 4)
        let check = GradientCheck(parameters: lift.parameters + projection.parameters) { projection(tanh(lift(field))) }
        #expect(check.passed, "\(check)")
        let inputCheck = GradientCheck({ projection(tanh(lift($0[0]))) }, at: [field])
        #expect(inputCheck.passed, "\(inputCheck)")
        #expect(lift.namedParameters.map { "\($0.name) \($0.parameter.shape)" } == ["scale [2]"])
        #expect(VectorFieldLift(group: group, fields: 1).parameters.isEmpty)
    }
}
