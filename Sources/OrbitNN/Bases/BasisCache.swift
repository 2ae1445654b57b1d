import Synchronization

/// What identifies a steerable basis: the group (by name), both representations (their irreducible
/// components and changes of basis, compared exactly), the kernel size and the settings.
struct BasisCacheKey: Hashable, Sendable {
    let group: String
    let inputComponents: [IrreducibleRepresentation]
    let inputChangeOfBasis: [Double]
    let outputComponents: [IrreducibleRepresentation]
    let outputChangeOfBasis: [Double]
    let kernelSize: Int
    let settings: SteerableBasisSettings

    init<G: PlanarGroup>(group: String, input: Representation<G>, output: Representation<G>, kernelSize: Int,
                         settings: SteerableBasisSettings) {
        self.group = group
        (inputComponents, inputChangeOfBasis) = (input.irreducibleComponents, input.changeOfBasis)
        (outputComponents, outputChangeOfBasis) = (output.irreducibleComponents, output.changeOfBasis)
        (self.kernelSize, self.settings) = (kernelSize, settings)
    }
}

/// Bases built so far, shared by every layer of the process. A basis is built outside the lock, so two
/// threads asking for the same new basis may both build it; the second store wins, with equal content.
let basisCache = Mutex<[BasisCacheKey: any Sendable]>([:])

/// Forgets every cached steerable basis (to measure build times, or to free memory).
public func clearSteerableBasisCache() {
    basisCache.withLock { $0.removeAll() }
}
