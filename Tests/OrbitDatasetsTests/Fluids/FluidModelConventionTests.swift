import Orbit
import OrbitDatasets
import OrbitNN
import Testing

// The simulator stores row 0 at the bottom; the models' C4 action (`FieldType`, `PlanarAction`) takes
// y = -row. Flipping the frames along H (what ApproximateEquivarianceExperiments does to every batch) must
// turn the data's quarter turn into the models' quarter turn of an irrep(1) field, exactly.
@Test func framesFlippedAlongHeightRotateAsTheModelsVelocityFields() {
    let n = 6
    var generator = RandomGenerator(seed: 3)
    let values = Tensor.randomNormal([1, 2, n, n], using: &generator).scalars(as: Float.self)
    let sequence = FieldSequence(frames: values, count: 1, channels: 2, height: n, width: n)
    let c4 = CyclicGroup(order: 4)
    let velocity = FieldType(group: c4, c4.irreducibleRepresentation(frequency: 1), count: 1)
    let flipped = Tensor(values, shape: [1, 2, n, n]).flipped(axes: [2])
    for turns in 1..<4 {
        let dataTurned = Tensor(sequence.rotated(quarterTurns: turns).frames, shape: [1, 2, n, n]).flipped(axes: [2])
        #expect(dataTurned.doubles == velocity.transform(flipped, by: c4.elements[turns]).doubles, "\(turns) quarter turns")
    }
    // Negative control: unflipped, the data's quarter turn is the models' turn the other way (a mirror).
    let raw = Tensor(values, shape: [1, 2, n, n])
    #expect(Tensor(sequence.rotated(quarterTurns: 1).frames, shape: [1, 2, n, n]).doubles != velocity.transform(raw, by: c4.elements[1]).doubles)
}
