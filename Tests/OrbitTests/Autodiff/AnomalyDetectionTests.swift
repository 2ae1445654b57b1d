import Testing
import _OrbitTestSupport
import Orbit

@Test func detectsTheFirstNonFiniteForwardOutput() {
    let x = Tensor([1, -1, 2] as [Double], shape: [3])
    let (_, anomaly) = withAnomalyDetection {
        let logarithm = log(x)            // log(-1) = NaN: the first anomaly
        return exp(logarithm * 1000).sum() // later ops see NaN too, but are not reported
    }
    #expect(anomaly?.operation == "log")
    #expect(anomaly?.pass == .forward)
    #expect(anomaly?.inputShapes == [[3]])
    #expect(anomaly?.shape == [3])
    #expect(anomaly?.nonFiniteCount == 1)
}

@Test func detectsANonFiniteGradientInTheBackwardPass() {
    // sqrt is finite at 0 but its derivative is not: the forward pass is clean, the backward is not.
    let x = Tensor([0, 4] as [Double], shape: [2])
    let (_, anomaly) = withAnomalyDetection { gradient(at: [x]) { sqrt($0[0]).sum() } }
    #expect(anomaly?.operation == "sqrt")
    #expect(anomaly?.pass == .backward)
}

@Test func reportsNothingWhenAllIsFinite() {
    let (_, anomaly) = withAnomalyDetection { gradient(at: [randomTensor([3], seed: 1)]) { exp($0[0]).sum() } }
    #expect(anomaly == nil)
}

@Test func stopOnFirstNamesTheOpAndShapes() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        _ = withAnomalyDetection(stopOnFirst: true) { log(Tensor([-1, 2] as [Float], shape: [1, 2])) }
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("log (forward)") && message.contains("[1, 2]"), "\(message)")
}
