import Foundation

/// A learning rate as a pure function of a counter (an epoch or a step, as the caller chooses), so a
/// resumed run gets exactly the rates of an uninterrupted one.
public protocol LearningRateSchedule: Sendable {
    func learningRate(at count: Int) -> Double
}

/// η₀·γ^⌊count / stepSize⌋ (PyTorch `StepLR`).
public struct StepDecay: LearningRateSchedule {
    public let initial: Double, stepSize: Int, factor: Double
    public init(initial: Double, stepSize: Int, factor: Double) {
        precondition(stepSize > 0, "StepDecay: stepSize must be positive")
        (self.initial, self.stepSize, self.factor) = (initial, stepSize, factor)
    }
    public func learningRate(at count: Int) -> Double { initial * Foundation.pow(factor, Double(count / stepSize)) }
}

/// η₀·γ^count (PyTorch `ExponentialLR`, stepped per epoch).
public struct ExponentialDecay: LearningRateSchedule {
    public let initial: Double, factor: Double
    public init(initial: Double, factor: Double) { (self.initial, self.factor) = (initial, factor) }
    public func learningRate(at count: Int) -> Double { initial * Foundation.pow(factor, Double(count)) }
}

/// η_min + (η₀ - η_min)·(1 + cos(π·count / period)) / 2 for count ≤ period, then η_min
/// (PyTorch `CosineAnnealingLR` without restarts).
public struct CosineAnnealing: LearningRateSchedule {
    public let initial: Double, minimum: Double, period: Int
    public init(initial: Double, minimum: Double = 0, period: Int) {
        precondition(period > 0, "CosineAnnealing: period must be positive")
        (self.initial, self.minimum, self.period) = (initial, minimum, period)
    }
    public func learningRate(at count: Int) -> Double {
        let progress = Double(min(count, period)) / Double(period)
        return minimum + (initial - minimum) * (1 + Foundation.cos(Double.pi * progress)) / 2
    }
}

/// Linear warm-up from 0 over `steps` counts (rate·(count + 1)/steps), then `schedule` counted from the
/// end of the warm-up.
public struct LinearWarmup<Schedule: LearningRateSchedule>: LearningRateSchedule {
    public let steps: Int
    public let schedule: Schedule
    public init(steps: Int, then schedule: Schedule) { (self.steps, self.schedule) = (steps, schedule) }
    public func learningRate(at count: Int) -> Double {
        count < steps ? schedule.learningRate(at: 0) * Double(count + 1) / Double(steps) : schedule.learningRate(at: count - steps)
    }
}

/// The same rate at every count.
public struct ConstantRate: LearningRateSchedule {
    public let rate: Double
    public init(_ rate: Double) { self.rate = rate }
    public func learningRate(at count: Int) -> Double { rate }
}

/// η₀ at every count.
public struct ConstantLearningRate: LearningRateSchedule {
    public let value: Double
    public init(_ value: Double) { self.value = value }
    public func learningRate(at count: Int) -> Double { value }
}
