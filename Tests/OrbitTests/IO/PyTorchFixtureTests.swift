import Foundation
import Orbit
import Testing

// `Fixtures/small_fixture.safetensors` was written by PyTorch through the official `safetensors`
// package (`Fixtures/make_safetensors_fixture.py`, which lists the same values as this test).
// The path is relative to this source file, so the test works from any clean clone.

private let fixtureURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/small_fixture.safetensors")

@Test func readsAFileWrittenByPyTorch() throws {
    let file = try SafeTensors.read(from: fixtureURL)
    #expect(file.metadata == ["format": "pt", "step": "42", "note": "line 1\nsaid \"hi\" \\ café 😀"])
    // The official writer orders data by element size (largest first), then by name.
    #expect(file.names == ["indices.i64", "step.i64", "scale.f64", "empty.f32", "weights.f32",
                           "brain.bf16", "half.f16", "mask.bool"])

    expectIdentical(try #require(file["weights.f32"]), Tensor([1.5, -2.25, 0, -0.0, 1024, 3.0e38] as [Float], shape: [2, 3]))
    expectIdentical(try #require(file["scale.f64"]), Tensor([0.1, -1.0 / 3.0, .leastNonzeroMagnitude] as [Double], shape: [3]))
    expectIdentical(try #require(file["indices.i64"]), Tensor([0, -1, .max, .min] as [Int64], shape: [4]))
    expectIdentical(try #require(file["step.i64"]), Tensor(Int64(42)))
    expectIdentical(try #require(file["mask.bool"]), Tensor([true, false, false, true], shape: [2, 2]))
    expectIdentical(try #require(file["empty.f32"]), Tensor([] as [Float], shape: [0, 3]))
    // F16 and BF16 are widened to float32 exactly.
    expectIdentical(try #require(file["half.f16"]),
                    Tensor([1, -0.5, 0x1p-24, 65504, .infinity] as [Float], shape: [5]))
    expectIdentical(try #require(file["brain.bf16"]), Tensor([1, -3, 0.15625, 0x1p127] as [Float], shape: [4]))
}

@Test func rewritingThePyTorchFileKeepsEveryValue() throws {
    let original = try SafeTensors.read(from: fixtureURL)
    let rewritten = try SafeTensors.decode(try SafeTensors.encode(original.tensors, metadata: original.metadata))
    #expect(rewritten.names == original.names)
    #expect(rewritten.metadata == original.metadata)
    for (before, after) in zip(original.tensors, rewritten.tensors) { expectIdentical(after.tensor, before.tensor, before.name) }
}
