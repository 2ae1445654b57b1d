import Dispatch
import Foundation
import Orbit
import OrbitDistributed
import OrbitModels
import OrbitNN
import OrbitOptimizers
import OrbitTraining

// The scaling measurements of data-parallel training (Docs/Distributed.md §5), built only with ORBIT_MPI=1
// (`make bench-distributed`). Run under mpirun; rank 0 prints one JSON line per case, as OrbitBenchmarks does:
//
//   step [--velocities r] [--batch B] [--hidden H] [--decoder-layers L] [--steps S] [--threads T]
//       The FERNN predictor's training step through `Trainer` with the MPI communicator: |V| = (2r + 1)², global
//       batch B (each rank B/N), 10 + 10 frames of 28 x 28, MSE, Adam, clipping at 1. Seconds: the median over S
//       steps of the wall time from one step to the next (after one step of warm-up), compute and allreduce.
//   allreduce [--hidden H] [--decoder-layers L] [--repetitions K]
//       `DataParallel.sumGradients` of that model's gradients (739,584 float32 at H = 128, L = 4): packing, the
//       MPI_Allreduce calls, unpacking. Seconds: the median of K calls; also the bus bandwidth 2(N-1)/N · bytes / s.

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    arguments.firstIndex(of: "--" + name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? fallback
}
let (velocityRange, batch, hidden) = (option("velocities", 2), option("batch", 8), option("hidden", 128))
let (decoderLayers, steps, repetitions) = (option("decoder-layers", 4), max(1, option("steps", 5)), max(1, option("repetitions", 20)))
let threads = option("threads", 0)
if threads > 0 { Parallelism.threadCount = threads }

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func makeModel() -> FlowPredictor<FlowEquivariantRNNCell> {
    var generator = RandomGenerator(seed: 1)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: hidden, flows: .grid(range: velocityRange), using: &generator)
    return FlowPredictor(cell: cell, decoderLayers: decoderLayers, using: &generator)
}

let communicator: MPICommunicator
do { communicator = try MPICommunicator() } catch {
    FileHandle.standardError.write(Data("OrbitDistributedBenchmarks: \(error)\n".utf8))
    exit(1)
}
let setup = "ranks\(communicator.size)_threads\(Parallelism.threadCount)"
let common = "\"impl\": \"orbit-mpi\", \"ranks\": \(communicator.size), \"threads\": \(Parallelism.threadCount)"

do {
    switch arguments.first {
    case "step":
        let model = makeModel()
        var generator = RandomGenerator(seed: 2)
        let frames = Tensor.randomNormal([batch * (steps + 1), 20, 1, 28, 28], using: &generator)
        var configuration = TrainingConfiguration(epochs: 1)
        (configuration.clipNorm, configuration.showsProgress) = (1, false)
        let data = TrainingBatches(batchCount: steps + 1) { _, first in
            (first...steps).map { frames.slice(axis: 0, ($0 * batch)..<(($0 + 1) * batch)) }
        }
        let trainer = try Trainer(model: model, optimizer: Adam(), data: data, configuration: configuration, communicator: communicator) {
            batch, _ in meanSquaredError(model(batch.slice(axis: 1, 0..<10), predicting: 10), batch.slice(axis: 1, 10..<20))
        }
        var times: [Double] = []
        trainer.shouldStop = { times.append(now()); return false }   // once per step, at the same point of each
        try trainer.run()
        let seconds = median(zip(times.dropFirst(), times).map { $0 - $1 })
        let name = "fernn_v\((2 * velocityRange + 1) * (2 * velocityRange + 1))_b\(batch)_h\(hidden)_t10x10_d\(decoderLayers)_\(setup)"
        if communicator.rank == 0 {
            print("{\"name\": \"\(name)\", \"seconds\": \(seconds), \(common), \"rank_batch\": \(DataParallel.shard(of: batch, rank: 0, size: communicator.size).count), \"steps\": \(steps)}")
        }
    case "allreduce":
        let parameters = makeModel().parameters
        var gradients = Gradients()
        for parameter in parameters { gradients[parameter] = Tensor.ones(parameter.shape) }
        var times: [Double] = []
        for repetition in 0..<(repetitions + 2) {
            try communicator.barrier()
            let started = now()
            _ = try DataParallel.sumGradients(gradients, weightedBy: 1, parameters: parameters, communicator: communicator)
            if repetition >= 2 { times.append(now() - started) }   // two warm-up calls
        }
        let (seconds, bytes) = (median(times), 4 * parameters.reduce(0) { $0 + $1.shape.reduce(1, *) })
        let bus = 2 * Double(communicator.size - 1) / Double(communicator.size) * Double(bytes) * 8 / seconds / 1e9
        if communicator.rank == 0 {
            print("{\"name\": \"allreduce_h\(hidden)_d\(decoderLayers)_\(setup)\", \"seconds\": \(seconds), \(common), \"bytes\": \(bytes), \"bus_gbit_per_s\": \(bus)}")
        }
    default:
        FileHandle.standardError.write(Data("OrbitDistributedBenchmarks: expected a case, step or allreduce\n".utf8))
        communicator.finish(2)
    }
} catch {
    FileHandle.standardError.write(Data("OrbitDistributedBenchmarks: \(error)\n".utf8))
    communicator.finish(1, endsEveryRank: MPICommunicator.isThrownOnEveryRank(error))
}
communicator.finish(0)
