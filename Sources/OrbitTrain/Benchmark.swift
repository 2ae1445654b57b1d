import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitExperiments

/// `--benchmark N`: times the pieces of training, printing the JSON lines that
/// Benchmarks/mnist_torch.py prints for PyTorch (names, median seconds), so that
/// the benchmark toolkit's compare.py (Docs/Performance.md) can set them side by side.
enum TrainingBenchmark {
    static func run(_ trainer: MNISTRun, steps: Int) throws {
        let parameters = trainer.model.parameters
        var batches = Array(trainer.loader.batches(epoch: 0).prefix(steps + 3))
        let warmUp = batches.prefix(3)
        batches.removeFirst(min(3, batches.count))
        func step(_ batch: Batch) {
            let (_, gradients) = valueAndGradient(of: parameters) {
                crossEntropy(trainer.model(batch.inputs), labels: batch.labels)
            }
            trainer.trainer.optimizer.update(parameters, with: gradients)
        }
        StorageStatistics.resetPeak()
        for batch in warmUp { step(batch) }
        let stepSeconds = batches.map { batch in seconds { step(batch) } }
        emit("mnist_train_step_b64", median(stepSeconds), extra: ["peak_tensor_bytes": StorageStatistics.peakBytes])

        trainer.model.eval()
        let testBatches = Array(DataLoader(trainer.testSet, batchSize: 1000).batches(epoch: 0).prefix(5))
        let evaluationSeconds = testBatches.map { batch in seconds { _ = trainer.model(batch.inputs) } }
        emit("mnist_evaluate_b1000", median(evaluationSeconds), extra: [:])
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        emit("mnist_peak_rss", 0, extra: ["bytes": usage.ru_maxrss * 1024])
    }

    private static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private static func emit(_ name: String, _ seconds: Double, extra: [String: Int]) {
        let fields = extra.keys.sorted().map { ", \"\($0)\": \(extra[$0]!)" }.joined()
        Console.line("{\"name\": \"\(name)\", \"seconds\": \(seconds), \"impl\": \"orbit\"\(fields)}")
    }
}
