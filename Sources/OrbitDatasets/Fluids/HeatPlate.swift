import Foundation
import Orbit

/// Heat diffusion on an insulated square plate with a uniform or slightly varying diffusion coefficient
/// (the motivating example of Wang, Walters and Yu 2022, Figure 2): a small second data set whose symmetry
/// is broken by the medium, not by the forcing.
///
/// Equation and discretisation (explicit finite volumes on cell centres, cell size 1):
///
///     dT/dt = div(kappa grad T)
///     T_c += dt * sum over the faces f of c inside the plate of kappa_f (T_neighbour - T_c)
///
/// with `kappa_f` the coefficient at the face's midpoint. Each interior face's flux leaves one cell and
/// enters the other, and the boundary faces carry none (insulated edges), so the total heat is conserved to
/// rounding. Stable for `dt <= 1 / (4 max kappa)`; the default step is 0.8 of that bound.
///
/// Coefficient: `kappa(x, y) = diffusivity * (1 + variation * (x / size - 1/2))`, a gentle gradient along x
/// that breaks translation and rotation symmetry; `variation = 0` is the uniform plate.
public struct HeatPlate: Hashable, Sendable {
    public var size: Int
    public var diffusivity: Double
    public var variation: Double
    /// Frames recorded (one after each `stepsPerFrame` explicit steps).
    public var frames: Int
    public var stepsPerFrame: Int
    /// Hot spots in the seeded initial condition.
    public var hotSpots: Int
    public var seed: UInt64
    /// The explicit time step (default `0.2 / max kappa`).
    public var timeStep: Double

    /// A plate; stops the program (naming `HeatPlate`) on a size < 2, a non-positive coefficient anywhere,
    /// or a time step beyond the stability bound.
    public init(size: Int = 64, diffusivity: Double = 1, variation: Double = 0, frames: Int = 100, stepsPerFrame: Int = 5,
                hotSpots: Int = 4, seed: UInt64 = 0, timeStep: Double? = nil) {
        requireArgument(size >= 2 && frames >= 1 && stepsPerFrame >= 1 && hotSpots >= 0, "HeatPlate",
                        "needs size >= 2, frames and stepsPerFrame >= 1, hotSpots >= 0")
        requireArgument(diffusivity > 0 && abs(variation) < 2, "HeatPlate",
                        "kappa must stay positive: diffusivity \(diffusivity) > 0 and |variation| \(variation) < 2")
        let largest = diffusivity * (1 + abs(variation) / 2)
        let step = timeStep ?? 0.2 / largest
        requireArgument(step > 0 && step <= 0.25 / largest, "HeatPlate",
                        "time step \(step) is outside the explicit scheme's stable range (0, \(0.25 / largest)]")
        (self.size, self.diffusivity, self.variation, self.frames) = (size, diffusivity, variation, frames)
        (self.stepsPerFrame, self.hotSpots, self.seed, self.timeStep) = (stepsPerFrame, hotSpots, seed, step)
    }

    /// The coefficient at domain position `(x, y)`.
    public func kappa(atX x: Double, y: Double) -> Double {
        diffusivity * (1 + variation * (x / Double(size) - 0.5))
    }

    /// The seeded initial temperature `[size][size]`: `hotSpots` Gaussian bumps with random centres,
    /// widths in [2, 6) cells and heights in [0.5, 1.5).
    public func initialTemperature() -> [Double] {
        var generator = RandomGenerator(seed: seed)
        var temperature = [Double](repeating: 0, count: size * size)
        let n = Double(size)
        for _ in 0..<hotSpots {
            let (cx, cy) = (n * generator.nextUnitDouble(), n * generator.nextUnitDouble())
            let width = 2 + 4 * generator.nextUnitDouble(), height = 0.5 + generator.nextUnitDouble()
            for j in 0..<size {
                for i in 0..<size {
                    let dx = Double(i) + 0.5 - cx, dy = Double(j) + 0.5 - cy
                    temperature[j * size + i] += height * exp(-(dx * dx + dy * dy) / (2 * width * width))
                }
            }
        }
        return temperature
    }

    /// One explicit step of `temperature` (`[size][size]`) in place.
    public func step(_ temperature: inout [Double]) {
        requireArgument(temperature.count == size * size, "HeatPlate.step",
                        "temperature has \(temperature.count) values, the plate \(size) x \(size)")
        let n = size
        var change = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in 0..<n {
                let c = j * n + i
                if i + 1 < n {  // face between (i, j) and (i + 1, j), at x = i + 1
                    let flux = kappa(atX: Double(i + 1), y: Double(j) + 0.5) * (temperature[c + 1] - temperature[c])
                    change[c] += flux
                    change[c + 1] -= flux
                }
                if j + 1 < n {  // face between (i, j) and (i, j + 1), at y = j + 1
                    let flux = kappa(atX: Double(i) + 0.5, y: Double(j + 1)) * (temperature[c + n] - temperature[c])
                    change[c] += flux
                    change[c + n] -= flux
                }
            }
        }
        for c in 0..<(n * n) { temperature[c] += timeStep * change[c] }
    }

    /// The temperature after every `stepsPerFrame` steps from `initial` (default: the seeded hot spots),
    /// `[frames, 1, size, size]`.
    public func simulate(from initial: [Double]? = nil) -> FieldSequence {
        var temperature = initial ?? initialTemperature()
        var values: [Float] = []
        values.reserveCapacity(frames * size * size)
        for _ in 0..<frames {
            for _ in 0..<stepsPerFrame { step(&temperature) }
            values += temperature.map { Float($0) }
        }
        return FieldSequence(frames: values, count: frames, channels: 1, height: size, width: size)
    }

    /// `count` sequences of this plate from seeds `seed, seed + 1, ...` (different hot spots, same medium).
    public func sequences(count: Int) -> [FieldSequence] {
        (0..<count).map { index in
            var plate = self
            plate.seed = seed &+ UInt64(index)
            return plate.simulate()
        }
    }
}
