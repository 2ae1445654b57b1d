// GEMM cases of ../shared/bench/cases.json. Filled in with the GEMM kernel.
func gemmCases() -> [BenchmarkCase] { [] }
