import Foundation
import Orbit
import OrbitDistributed
import OrbitNN
import OrbitTraining

// The MPI checks of data-parallel training, run by Tests/Distributed/run.sh (make test-distributed) under
// `mpirun --allow-run-as-root --oversubscribe -np N` on loopback. Each prints one line per result and exits 0
// when it holds:
//
//   equivalence --model fernn|cnn --dtype float64|float32 [--optimizer sgd|adam]
//       N ranks with shards of each global batch, their models initialized from other seeds (so only rank 0's
//       broadcast weights can make them agree), train; rank 0 then trains the same model alone on the whole
//       batches and compares the weights: float64 to 1e-12, float32 to 1e-5 of the largest weight.
//   train --directory D [--epochs E] [--resume] [--kill-rank r --kill-step k]
//       The FERNN (float64, SGD) with checkpoints in D; rank r kills itself (SIGKILL) at its k-th step.
//       Rank 0 writes D/final.safetensors at the end.
//   inspect --directory D          (one process, no mpirun) D's checkpoint loads and resumes; prints its position.
//   compare A B                    (one process) the weights in A and B agree to 1e-12.
//   disagree                       rank r builds the FERNN with hidden 2 + r: every rank must fail naming it.

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    arguments.firstIndex(of: "--" + name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}
var settings = CheckSettings()
settings.model = option("model") ?? settings.model
settings.dtype = option("dtype") == "float32" ? .float32 : .float64
settings.optimizer = option("optimizer") ?? settings.optimizer
settings.epochs = option("epochs").flatMap(Int.init) ?? settings.epochs
settings.directory = option("directory").map { URL(fileURLWithPath: $0) }
let scenario = arguments.first ?? ""

/// Prints on standard output with the rank, so that mpirun's merged output says who spoke.
func report(_ communicator: MPICommunicator?, _ text: String) {
    let prefix = communicator.map { "rank \($0.rank)/\($0.size): " } ?? ""
    FileHandle.standardOutput.write(Data((prefix + text + "\n").utf8))
}

func loadWeights(_ path: String) throws -> [(name: String, tensor: Tensor)] {
    try SafeTensors.read(from: URL(fileURLWithPath: path)).tensors
}

if scenario == "inspect" || scenario == "compare" {
    do {
        if scenario == "inspect" {
            let job = try makeJob(settings, communicator: nil)
            try job.resume()
            let position = job.position()
            report(nil, "inspect: \(settings.directory!.path)/checkpoint.safetensors loads and resumes: \(position.epoch) epoch(s) done, "
                   + "continues at epoch \(position.epoch + 1), step \(position.batch + 1)")
        } else {
            let difference = try relativeDifference(try loadWeights(arguments[1]), try loadWeights(arguments[2]))
            report(nil, "compare: relative difference \(difference) (tolerance 1e-12)")
            exit(difference <= 1e-12 ? 0 : 1)
        }
    } catch {
        report(nil, "\(scenario) failed: \(error)")
        exit(1)
    }
    exit(0)
}

let communicator: MPICommunicator
do { communicator = try MPICommunicator() } catch {
    report(nil, "cannot start MPI: \(error)")
    exit(1)
}

do {
    switch scenario {
    case "equivalence":
        let job = try makeJob(settings, communicator: communicator)
        _ = try job.run()
        guard communicator.rank == 0 else { communicator.finish(0) }
        let reference = try makeJob(settings, communicator: nil)
        _ = try reference.run()
        let difference = try relativeDifference(job.weights(), reference.weights())
        let lossDifference = zip(job.losses(), reference.losses()).map { abs($0 - $1) / abs($1) }.max() ?? .infinity
        let tolerance = settings.dtype == .float64 ? 1e-12 : 16 * Double(Float.ulpOfOne)   // float32: 16 ulps of the largest weight
        let holds = difference <= tolerance && lossDifference <= tolerance
        report(communicator, "equivalence \(settings.model) \(settings.dtype) \(settings.optimizer): \(communicator.size) ranks "
               + "vs 1 process, weights differ by \(difference), epoch losses by \(lossDifference) (tolerance \(tolerance)): "
               + (holds ? "ok" : "FAILED"))
        communicator.finish(holds ? 0 : 1)
    case "train":
        let job = try makeJob(settings, communicator: communicator)
        if arguments.contains("--resume") { try job.resume() }
        report(communicator, "train: starting at epoch \(job.position().epoch + 1), step \(job.position().batch + 1)")
        if let rank = option("kill-rank").flatMap(Int.init), let step = option("kill-step").flatMap(Int.init), rank == communicator.rank {
            var steps = 0
            job.setStop {
                steps += 1
                if steps == step {
                    report(communicator, "train: killing myself (SIGKILL) at my step \(step)")
                    kill(getpid(), SIGKILL)
                }
                return false
            }
        }
        _ = try job.run()
        if communicator.rank == 0, let directory = settings.directory {
            try SafeTensors.write(job.weights(), to: directory.appendingPathComponent("final.safetensors"))
        }
        report(communicator, "train: finished epoch \(job.position().epoch), losses \(job.losses())")
        communicator.finish(0)
    case "disagree":
        settings.hidden = 2 + communicator.rank
        do {
            _ = try makeJob(settings, communicator: communicator).run()
            report(communicator, "disagree: FAILED, trained although the ranks differ")
            communicator.finish(1)
        } catch let error as DataParallelError {
            report(communicator, "disagree: ok, \(error)")
            communicator.finish(0)
        }
    default:
        report(communicator, "unknown check '\(scenario)' (equivalence, train, inspect, compare, disagree)")
        communicator.finish(2)
    }
} catch {
    report(communicator, "\(scenario) failed: \(error)")
    communicator.finish(1, endsEveryRank: MPICommunicator.isThrownOnEveryRank(error))
}
