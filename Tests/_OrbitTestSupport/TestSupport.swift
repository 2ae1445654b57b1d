// Test support for Orbit: gradient checker, adjoint checker, tensor comparison, seeded inputs.
