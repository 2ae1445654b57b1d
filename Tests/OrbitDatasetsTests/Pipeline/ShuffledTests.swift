import Orbit
import Testing
@testable import OrbitDatasets

@Test func shuffledOrderDependsOnlyOnGeneratorAndEpoch() {
    let base = Array(0..<1000)
    let generator = RandomGenerator(seed: 42)
    let first = Shuffled(base, generator: generator, epoch: 3)
    let again = Shuffled(base, generator: RandomGenerator(seed: 42), epoch: 3)
    #expect(Array(first) == Array(again))
    #expect(first.order == Array(first))
    #expect(Array(first) != base)
    // Every element exactly once.
    #expect(first.sorted() == base)
    // Other epochs and other seeds give other orders.
    let orders = Set((0..<20).map { Shuffled(base, generator: generator, epoch: $0).order })
    #expect(orders.count == 20)
    #expect(Shuffled(base, generator: RandomGenerator(seed: 43), epoch: 3).order != first.order)
}

@Test func shuffledWorksOnSlicesAndEmptyCollections() {
    let slice = Array(100..<200)[10..<20]
    let shuffled = Shuffled(slice, generator: RandomGenerator(seed: 1), epoch: 0)
    #expect(shuffled.sorted() == Array(110..<120))
    #expect(Shuffled([Int](), generator: RandomGenerator(seed: 1), epoch: 0).isEmpty)
    #expect(Array(Shuffled([7], generator: RandomGenerator(seed: 1), epoch: 0)) == [7])
}

@Test func permutationsAcrossEpochsAreUniform() {
    // 6000 epochs of a 3-element shuffle: each of the 6 orders is expected 1000 times, standard
    // deviation sqrt(6000 * 1/6 * 5/6) ≈ 28.9; allow five of them. A biased shuffle (e.g. swapping with
    // any position instead of a lower one) puts some orders near 890 or 1110 and fails.
    let generator = RandomGenerator(seed: 2026)
    var counts: [[Int]: Int] = [:]
    for epoch in 0..<6000 { counts[Shuffled([0, 1, 2], generator: generator, epoch: epoch).order, default: 0] += 1 }
    #expect(counts.count == 6)
    for (order, count) in counts { #expect(abs(count - 1000) < 145, "order \(order) came \(count) times") }
}

@Test func uniformIndexStaysInRange() {
    var generator = RandomGenerator(seed: 9)
    for bound in [1, 2, 3, 7, 1000, 1 << 40, Int.max] {
        for _ in 0..<200 {
            let value = Shuffling.uniformIndex(below: bound, using: &generator)
            #expect(value >= 0 && value < bound)
        }
    }
}
