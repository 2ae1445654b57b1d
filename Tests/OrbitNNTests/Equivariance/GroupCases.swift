import Orbit
import OrbitModels
import OrbitNN
import Testing

// The groups every generic check runs on. A new planar group added here gets every algebra and
// equivariance check without new test code.

/// A finite planar group under test, named for the test report.
struct FiniteGroupCase: Sendable, CustomTestStringConvertible {
    let group: any FiniteGroup & PlanarGroup
    var testDescription: String { group.name }
}

/// A planar group under test (finite or not), named for the test report.
struct PlanarGroupCase: Sendable, CustomTestStringConvertible {
    let group: any PlanarGroup
    var testDescription: String { group.name }
}

let finiteGroupCases: [FiniteGroupCase] =
    [1, 2, 3, 4, 8, 36].map { FiniteGroupCase(group: CyclicGroup(order: $0)) }
    + [1, 2, 4, 6].map { FiniteGroupCase(group: DihedralGroup(order: $0)) }

/// Angles that are not multiples of a quarter turn, plus the quarter turns themselves.
let sampledAngles: [Double] = [0, 0.3, 1.1, Double.pi / 2, 2.5, Double.pi, 4.0, 3 * Double.pi / 2, 5.9]

let sampledRotations: [Double] = sampledAngles.map { SpecialOrthogonalGroup().element(angle: $0) }
let sampledOrthogonalElements: [OrthogonalElement] =
    sampledAngles.flatMap { angle in [false, true].map { OrthogonalElement(reflected: $0, angle: angle) } }

/// The elements to check a planar group at: all of a finite group, a sample of SO(2) and O(2).
func testedElements<G: PlanarGroup>(of group: G) -> [G.Element] {
    if let finite = group as? any FiniteGroup { return finiteElements(finite) as! [G.Element] }
    if G.Element.self == Double.self { return sampledRotations as! [G.Element] }
    if G.Element.self == OrthogonalElement.self { return sampledOrthogonalElements as! [G.Element] }
    Issue.record("no sampled elements for \(group.name)")
    return [group.identity]
}

private func finiteElements<G: FiniteGroup>(_ group: G) -> [Any] { group.elements }

/// Every planar group under test, finite and continuous.
let planarGroupCases: [PlanarGroupCase] =
    finiteGroupCases.map { PlanarGroupCase(group: $0.group) }
    + [PlanarGroupCase(group: SpecialOrthogonalGroup()), PlanarGroupCase(group: OrthogonalGroup())]

/// Largest absolute difference between two equally long arrays.
func maximumDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "maximumDifference: \(a.count) vs \(b.count) entries")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Row-major product of an m×k and a k×n matrix.
func multiply(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for p in 0..<k { for j in 0..<n { c[i * n + j] += a[i * k + p] * b[p * n + j] } } }
    return c
}

func transpose(_ a: [Double], _ rows: Int, _ columns: Int) -> [Double] {
    (0..<(columns * rows)).map { index in a[(index % rows) * columns + index / rows] }
}

func identityMatrix(_ n: Int) -> [Double] { (0..<(n * n)).map { $0 / n == $0 % n ? 1 : 0 } }
