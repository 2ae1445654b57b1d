internal import OrbitKernels

/// How many threads Orbit's kernels use. Results never depend on it: kernels cut work into chunks by
/// problem size only, so 1 and N threads give bit-identical tensors.
public enum Parallelism {
    /// Worker threads for kernels (default: the processor count, or the `ORBIT_THREADS` environment
    /// variable).
    public static var threadCount: Int {
        get { Parallel.threadCount }
        set { Parallel.threadCount = newValue }
    }
}
