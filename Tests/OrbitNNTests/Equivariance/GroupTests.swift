import Orbit
import OrbitModels
import OrbitNN
import Testing

// Group axioms and the action on the plane, generic over the group (STYLE: a new group that conforms
// gets every check without new test code).

@Test(arguments: planarGroupCases)
func groupAxiomsHold(_ testCase: PlanarGroupCase) {
    checkGroupAxioms(testCase.group)
}

/// Associativity, identity and inverses, compared through the action on the plane (exact for finite
/// groups' integer labels, 1e-12 for angles), and that the action is a homomorphism into O(2).
func checkGroupAxioms<G: PlanarGroup>(_ group: G) {
    let elements = testedElements(of: group)
    let matrix = { (g: G.Element) in group.planarAction(of: g).matrix }
    for a in elements {
        #expect(maximumDifference(matrix(group.compose(a, group.identity)), matrix(a)) < 1e-12)
        #expect(maximumDifference(matrix(group.compose(group.identity, a)), matrix(a)) < 1e-12)
        #expect(maximumDifference(matrix(group.compose(a, group.inverse(a))), identityMatrix(2)) < 1e-12,
                "\(group.name): \(a)·\(group.inverse(a)) is not the identity")
        for b in elements {
            let ab = group.compose(a, b)
            #expect(maximumDifference(matrix(ab), multiply(matrix(a), matrix(b), 2, 2, 2)) < 1e-12,
                    "\(group.name): the action of \(a)·\(b) is not the product of the actions")
            for c in elements.prefix(6) {
                #expect(maximumDifference(matrix(group.compose(ab, c)), matrix(group.compose(a, group.compose(b, c)))) < 1e-12)
            }
        }
    }
    if let finite = group as? any FiniteGroup { checkFiniteGroupLaw(finite) }
}

/// Exact checks on a finite group's labels: closure, identity first, elements distinct.
func checkFiniteGroupLaw<G: FiniteGroup>(_ group: G) {
    let elements = group.elements
    #expect(elements.first == group.identity)
    #expect(Set(elements).count == elements.count && elements.count == group.order)
    let set = Set(elements)
    for a in elements {
        #expect(group.compose(a, group.inverse(a)) == group.identity)
        for b in elements { #expect(set.contains(group.compose(a, b))) }
        for b in elements.prefix(4) {
            for c in elements.prefix(4) {
                #expect(group.compose(group.compose(a, b), c) == group.compose(a, group.compose(b, c)))
            }
        }
    }
}

@Test func planarActionsFollowTheDocumentedConventions() {
    // C4's generator turns the x axis (1, 0) into the y axis (0, 1): counter-clockwise with y up.
    let quarter = CyclicGroup(order: 4).planarAction(of: 1)
    #expect(quarter.quarterTurns == 1 && !quarter.reflected)
    let turned = quarter.apply(to: (1, 0))
    #expect(abs(turned.x) < 1e-15 && abs(turned.y - 1) < 1e-15)
    // D_N's f is x ↦ -x, and r f = "flip first, then rotate".
    let d4 = DihedralGroup(order: 4)
    let rf = d4.planarAction(of: DihedralElement(reflected: true, rotation: 1))
    let moved = rf.apply(to: (1, 0))  // flip: (-1, 0), then a quarter turn: (0, -1)
    #expect(abs(moved.x) < 1e-15 && abs(moved.y + 1) < 1e-15)
    #expect(d4.order == 8 && d4.rotationOrder == 4)
    // C36: 9 steps are a quarter turn; 1 step is not exact on the grid.
    #expect(CyclicGroup(order: 36).planarAction(of: 9).quarterTurns == 1)
    #expect(CyclicGroup(order: 36).planarAction(of: 1).quarterTurns == nil)
    #expect(SpecialOrthogonalGroup().planarAction(of: 3 * Double.pi / 2).quarterTurns == 3)
}
