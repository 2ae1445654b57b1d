import Orbit
import OrbitNN

/// The next-step predictor of the FERNN paper's moving-MNIST experiments (Keller 2025, section 6.1;
/// Docs/References.md §F2): a lifted recurrent cell reads 10 frames, then a convolutional decoder
/// predicts frames autoregressively from the state pooled over velocities (max), each prediction fed
/// back as the next input, detached (no gradient through the fed-back frames; the gradient still flows
/// through the state).
/// As in the reference code the first decoder step feeds the last input frame again. With
/// `detachesFeedback` false the gradient also flows through the fed-back predictions (backpropagation through
/// the closed loop; not the reference's protocol).
///
/// Shapes: frames [N, T, channels, H, W] -> predictions [N, steps, channels, H, W]. Decoder:
/// `decoderLayers` × (circular 3×3 conv hidden → hidden, ReLU), then a circular 3×3 conv hidden → channels,
/// no biases, PyTorch-default initialization.
public final class FlowPredictor<Cell: LiftedRecurrentCell>: Module {
    public let cell: Cell
    public let decoder: Sequential
    /// Whether the fed-back predictions are constants for the gradient (true: the reference's protocol).
    public let detachesFeedback: Bool

    public init(cell: Cell, frameChannels: Int = 1, decoderLayers: Int = 4, detachesFeedback: Bool = true, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        (self.cell, self.detachesFeedback) = (cell, detachesFeedback)
        let hidden = cell.hiddenChannels
        var layers: [any Layer] = []
        for _ in 0..<decoderLayers {
            layers.append(Convolution2D(inputChannels: hidden, outputChannels: hidden, kernelSize: 3, padding: 1, bias: false,
                                        paddingMode: .circular, dtype: dtype, using: &generator))
            layers.append(ReLU())
        }
        layers.append(Convolution2D(inputChannels: hidden, outputChannels: frameChannels, kernelSize: 3, padding: 1, bias: false,
                                    paddingMode: .circular, dtype: dtype, using: &generator))
        decoder = Sequential(layers)
    }

    /// The frame predicted from a state: decoder(max over V of the state).
    public func readout(_ state: Tensor) -> Tensor { decoder(state.max(axis: 1)) }

    /// Reads `frames` [N, T, C, H, W] and predicts the next `steps` frames [N, steps, C, H, W].
    public func callAsFunction(_ frames: Tensor, predicting steps: Int) -> Tensor {
        requireArgument(frames.rank == 5 && frames.shape[1] >= 1 && steps >= 1, "FlowPredictor",
                        "expected frames [N, T, C, H, W] with T >= 1 and steps >= 1, got \(frames.shape) and \(steps)")
        let inputs = (0..<frames.shape[1]).map { frames.slice(axis: 1, index: $0) }
        var state = cell.zeroState(for: inputs[0])
        for input in inputs { state = cell(input, state: state).state }
        var previous = inputs[inputs.count - 1]
        var predictions: [Tensor] = []
        for _ in 0..<steps {
            state = cell(detachesFeedback ? previous.detached() : previous, state: state).state
            let prediction = readout(state)
            predictions.append(prediction)
            previous = prediction
        }
        return stack(predictions, axis: 1)
    }
}
