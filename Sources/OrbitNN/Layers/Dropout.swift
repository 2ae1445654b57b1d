import Orbit

/// Dropout (Srivastava et al. 2014; PyTorch `nn.Dropout`): in training, each element is zeroed with
/// probability p and the rest scaled by 1/(1 - p); in evaluation, the identity.
///
/// The layer owns its random generator, seeded explicitly. A training loop that must resume exactly
/// reseeds it at known points (e.g. `reseed(epochSeed)` at the start of each epoch).
public final class Dropout: Layer, ModeDependent {
    public let probability: Double
    public var isTraining = true
    private var generator: RandomGenerator

    public init(probability: Double = 0.5, seed: UInt64) {
        requireArgument(probability >= 0 && probability < 1, "Dropout", "probability must be in [0, 1), got \(probability)")
        self.probability = probability
        generator = RandomGenerator(seed: seed)
    }

    /// Restarts the mask sequence from `seed`.
    public func reseed(_ seed: UInt64) { generator = RandomGenerator(seed: seed) }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard isTraining && probability > 0 else { return input }
        let draws = Tensor.randomUniform(input.shape, dtype: input.dtype, using: &generator)
        return select(draws .>= probability, input * (1 / (1 - probability)), 0)
    }
}
