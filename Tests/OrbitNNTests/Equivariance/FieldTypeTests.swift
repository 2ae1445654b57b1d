import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// Field types: the action on feature maps is a group action, agrees with the representation matrix
// channel-wise, and misuse names the layer, the field type and the shape.

@Test func fieldTransformsAreAGroupActionForMixedFields() {
    let group = DihedralGroup(order: 4)
    let type = FieldType(group: group, representations: [
        group.regularRepresentation, group.irreducibleRepresentation(reflectionFrequency: 1, frequency: 1),
        group.trivialRepresentation, group.irreducibleRepresentation(reflectionFrequency: 1, frequency: 0),
    ])
    #expect(type.channels == 12 && type.description == "D4[1×regular, 1×irrep(1,1), 1×trivial, 1×irrep(1,0)]")
    let x = randomTensor([2, type.channels, 5, 5], seed: 21)
    for g in group.elements {
        for h in group.elements {
            expectClose(type.transform(type.transform(x, by: h), by: g), type.transform(x, by: group.compose(g, h)),
                        relativeTolerance: 1e-14, "g = \(g), h = \(h)")
        }
    }
}

@Test func permutationFieldsGatherWhatTheMatrixWouldMultiply() {
    let group = CyclicGroup(order: 8)
    let type = FieldType(group: group, group.regularRepresentation, count: 3)
    let x = randomTensor([1, type.channels, 4, 4], seed: 22)
    for g in [1, 2, 5] {
        let matrix = Tensor(type.representationMatrix(g), shape: [type.channels, type.channels])
        let byMatrix = matmul(matrix, x.reshaped([1, type.channels, 16])).reshaped(x.shape)
        let spatial = transformSpatially(byMatrix, by: group.planarAction(of: g))
        expectClose(type.transform(x, by: g), spatial, relativeTolerance: 1e-15)
    }
}

@Test func checkNamesTheLayerTheFieldTypeAndTheShape() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        let group = CyclicGroup(order: 4)
        FieldType(group: group, group.regularRepresentation, count: 2).check(Tensor.zeros([1, 7, 3, 3]), "GroupConvolution")
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("GroupConvolution") && message.contains("C4[2×regular]") && message.contains("8")
            && message.contains("[1, 7, 3, 3]"), "\(message)")
}
