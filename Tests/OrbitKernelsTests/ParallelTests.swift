import Testing
@testable import OrbitKernels

@Test func forEachRangeCoversEveryIndexOnce() {
    for count in [0, 1, 7, 1000, 12345] {
        for threads in [1, 2, 3] {
            Parallel.threadCount = threads
            var hits = [Int](repeating: 0, count: count)
            hits.withUnsafeMutableBufferPointer { hits in
                let pointer = hits.baseAddress
                Parallel.forEachRange(count, grain: 97) { range in
                    for index in range { pointer![index] += 1 }
                }
            }
            #expect(hits.allSatisfy { $0 == 1 })
        }
    }
    Parallel.threadCount = 2
}
