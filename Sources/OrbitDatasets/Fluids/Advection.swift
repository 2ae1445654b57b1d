/// Advection on the staggered grid (see StaggeredGrid.swift for the layout).
///
/// Semi-Lagrangian (Stam 1999): a quantity `q` carried by the velocity `w` satisfies `dq/dt + (w . grad) q = 0`,
/// so its new value at a sample point `x` is the old value where that point came from:
///
///     q_new(x) = q(x - dt * w(x))          (one explicit Euler step back along the flow, then bilinear)
///
/// MacCormack (Selle et al. 2008) corrects the semi-Lagrangian error with one step back and forth:
///
///     q_hat   = A(q, dt)                   (semi-Lagrangian forward)
///     q_check = A(q_hat, -dt)              (and back)
///     q_new   = q_hat + (q - q_check) / 2, clamped to [min, max] of the four samples the forward step used
///
/// The clamp (the limiter) keeps the scheme from creating new extrema. PhiFlow 2.0.1, which generated the
/// paper's data, advects the smoke with MacCormack and the velocity with semi-Lagrangian; so does Orbit.
enum Advection {
    /// Self-advection of a staggered velocity, semi-Lagrangian: each face component is traced back from its
    /// own face position with the full (interpolated) velocity, and sampled on its own faces. Wall faces
    /// stay zero.
    static func semiLagrangian(_ velocity: StaggeredVelocity, timeStep dt: Double) -> StaggeredVelocity {
        let (width, height) = (velocity.width, velocity.height)
        var result = StaggeredVelocity(width: width, height: height)
        let uLayout = velocity.uLayout, vLayout = velocity.vLayout
        velocity.u.withUnsafeBufferPointer { u in
            velocity.v.withUnsafeBufferPointer { v in
                result.u.withUnsafeMutableBufferPointer { newU in
                    for j in 0..<height {
                        let y = Double(j) + 0.5
                        for i in 1..<width {
                            let x = Double(i)
                            let (wx, wy) = (u[j * (width + 1) + i], vLayout.sample(v, x: x, y: y))
                            newU[j * (width + 1) + i] = uLayout.sample(u, x: x - dt * wx, y: y - dt * wy)
                        }
                    }
                }
                result.v.withUnsafeMutableBufferPointer { newV in
                    for j in 1..<height {
                        let y = Double(j)
                        for i in 0..<width {
                            let x = Double(i) + 0.5
                            let (wx, wy) = (uLayout.sample(u, x: x, y: y), v[j * width + i])
                            newV[j * width + i] = vLayout.sample(v, x: x - dt * wx, y: y - dt * wy)
                        }
                    }
                }
            }
        }
        return result
    }

    /// MacCormack advection of a cell-centred scalar `[height][width]` (zero-gradient outside the domain)
    /// by `velocity`, which is first averaged to the cell centres.
    static func macCormack(_ scalar: [Double], by velocity: StaggeredVelocity, timeStep dt: Double) -> [Double] {
        let (width, height) = (velocity.width, velocity.height)
        let layout = GridLayout(columns: width, rows: height, originX: 0.5, originY: 0.5, outside: .nearest)
        let centered = velocity.centered()
        let cells = width * height
        var forward = [Double](repeating: 0, count: cells)
        var lower = forward, upper = forward, backward = forward
        scalar.withUnsafeBufferPointer { q in
            for j in 0..<height {
                for i in 0..<width {
                    let index = j * width + i
                    let x = Double(i) + 0.5 - dt * centered[index], y = Double(j) + 0.5 - dt * centered[cells + index]
                    (forward[index], lower[index], upper[index]) = layout.sampleWithBounds(q, x: x, y: y)
                }
            }
        }
        forward.withUnsafeBufferPointer { qHat in
            for j in 0..<height {
                for i in 0..<width {
                    let index = j * width + i
                    let x = Double(i) + 0.5 + dt * centered[index], y = Double(j) + 0.5 + dt * centered[cells + index]
                    backward[index] = layout.sample(qHat, x: x, y: y)
                }
            }
        }
        var result = forward
        for index in 0..<cells {
            let corrected = forward[index] + 0.5 * (scalar[index] - backward[index])
            result[index] = min(max(corrected, lower[index]), upper[index])
        }
        return result
    }
}
