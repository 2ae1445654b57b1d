import Orbit

/// Axis-aligned boxes moving at integer velocities inside a rectangular arena, colliding elastically
/// with its walls and with each other (equal masses): the physics of `BouncingMNIST`.
///
/// One `step()` advances one frame, in three stages:
/// 1. Box-box contacts, pairs in index order. Two boxes collide when, moving freely from their current
///    positions, their interiors would overlap at some time τ in (0, 1] (a swept test, so fast boxes do
///    not tunnel). The contact normal is the axis whose gap closes last (at the first overlap time); when
///    both close at the same τ (corner contact) both axes are normals. Along each normal the two boxes
///    exchange their velocity components, as equal masses in a frictionless elastic collision do, and
///    their positions are the exact continuous solution, which is integral: the lower box ends at
///    `p + g + v_other`, the upper one at `p - g + v_lower` (g the gap before the step, velocities before
///    the exchange). Tangential components are unchanged.
/// 2. Walls. A box leaving the arena along an axis is mirrored back by the same distance and that
///    velocity component is negated (again the exact solution, repeated if the box is fast enough to
///    cross the arena).
/// 3. Rare leftovers: if boxes still overlap (a box reflected by a wall into another in the same frame),
///    each box of an overlapping pair stays where it was, keeping its new velocity, until none overlap.
/// Exchanges and negations keep the kinetic energy Σ|v|^2 exactly, every box always lies inside the
/// arena, and no two boxes ever overlap.
public struct BouncingBoxes: Sendable, Equatable {
    /// The top-left cell of the arena (the first row and column a box may occupy).
    public let arenaCorner: PixelVector
    /// The arena's rows (`y`) and columns (`x`).
    public let arenaSize: PixelVector
    /// Each box's rows (`y`) and columns (`x`).
    public let sizes: [PixelVector]
    /// Each box's top-left cell.
    public private(set) var positions: [PixelVector]
    /// Each box's velocity, cells per frame.
    public private(set) var velocities: [PixelVector]

    /// Boxes inside the arena that do not overlap; stops the program otherwise.
    public init(arenaCorner: PixelVector = .zero, arenaSize: PixelVector, sizes: [PixelVector],
                positions: [PixelVector], velocities: [PixelVector]) {
        requireArgument(sizes.count == positions.count && sizes.count == velocities.count, "BouncingBoxes",
                        "\(sizes.count) sizes, \(positions.count) positions and \(velocities.count) velocities")
        self.arenaCorner = arenaCorner
        self.arenaSize = arenaSize
        self.sizes = sizes
        self.positions = positions
        self.velocities = velocities
        for box in sizes.indices {
            requireArgument(sizes[box].y >= 1 && sizes[box].x >= 1 && fitsInArena(box, at: positions[box]), "BouncingBoxes",
                            "box \(box) of size \(sizes[box]) at \(positions[box]) is not inside the arena \(arenaSize) at \(arenaCorner)")
            for other in 0..<box {
                requireArgument(!overlap(box, positions[box], other, positions[other]), "BouncingBoxes",
                                "boxes \(other) and \(box) overlap at \(positions[other]) and \(positions[box])")
            }
        }
    }

    /// Σ |v|^2 over the boxes: twice the kinetic energy of unit masses, conserved by `step()`.
    public var energy: Int { velocities.reduce(0) { $0 + $1.squaredLength } }

    /// Advances one frame (see the type's description for the collision rule).
    public mutating func step() {
        let start = positions
        var end = zip(positions, velocities).map { $0 + $1 }
        for first in sizes.indices {
            for second in (first + 1)..<sizes.count { collide(first, second, from: start, into: &end) }
        }
        for box in sizes.indices { reflectOffWalls(box, position: &end[box]) }
        var settled = false
        while !settled {
            settled = true
            for first in sizes.indices {
                for second in (first + 1)..<sizes.count where overlap(first, end[first], second, end[second]) {
                    end[first] = start[first]
                    end[second] = start[second]
                    settled = false
                }
            }
        }
        positions = end
    }

    /// Resolves a contact between two boxes during this frame, if any (stage 1).
    private mutating func collide(_ first: Int, _ second: Int, from start: [PixelVector], into end: inout [PixelVector]) {
        let windows = [axisWindow(first, second, start, \.y), axisWindow(first, second, start, \.x)]
        let entry = max(windows[0].entry, windows[1].entry)
        let exit = min(windows[0].exit, windows[1].exit)
        guard max(entry, 0) < exit, entry < 1 else { return }
        for (axis, window) in zip([\PixelVector.y, \PixelVector.x], windows) where window.entry == entry {
            let (lower, upper) = start[first][keyPath: axis] < start[second][keyPath: axis] ? (first, second) : (second, first)
            let gap = start[upper][keyPath: axis] - start[lower][keyPath: axis] - sizes[lower][keyPath: axis]
            let (lowerVelocity, upperVelocity) = (velocities[lower][keyPath: axis], velocities[upper][keyPath: axis])
            end[lower][keyPath: axis] = start[lower][keyPath: axis] + gap + upperVelocity
            end[upper][keyPath: axis] = start[upper][keyPath: axis] - gap + lowerVelocity
            velocities[lower][keyPath: axis] = upperVelocity
            velocities[upper][keyPath: axis] = lowerVelocity
        }
    }

    /// The open time interval during which the two boxes' extents along `axis` overlap when both move
    /// freely (-infinity to +infinity when they overlap and keep still relative to each other).
    private func axisWindow(_ first: Int, _ second: Int, _ start: [PixelVector],
                            _ axis: WritableKeyPath<PixelVector, Int>) -> (entry: Double, exit: Double) {
        // Relative position d + w τ of the second box; extents overlap while -size2 < d + w τ < size1.
        let offset = Double(start[second][keyPath: axis] - start[first][keyPath: axis])
        let speed = Double(velocities[second][keyPath: axis] - velocities[first][keyPath: axis])
        let (low, high) = (-Double(sizes[second][keyPath: axis]), Double(sizes[first][keyPath: axis]))
        if speed == 0 { return low < offset && offset < high ? (-.infinity, .infinity) : (.infinity, -.infinity) }
        let (a, b) = ((low - offset) / speed, (high - offset) / speed)
        return (min(a, b), max(a, b))
    }

    /// Mirrors a box that left the arena back inside, negating the velocity components that hit (stage 2).
    private mutating func reflectOffWalls(_ box: Int, position: inout PixelVector) {
        for axis in [\PixelVector.y, \PixelVector.x] {
            let lowest = arenaCorner[keyPath: axis]
            let highest = arenaCorner[keyPath: axis] + arenaSize[keyPath: axis] - sizes[box][keyPath: axis]
            if lowest == highest {
                position[keyPath: axis] = lowest
                continue
            }
            while position[keyPath: axis] < lowest || position[keyPath: axis] > highest {
                position[keyPath: axis] = position[keyPath: axis] < lowest
                    ? 2 * lowest - position[keyPath: axis] : 2 * highest - position[keyPath: axis]
                velocities[box][keyPath: axis] = -velocities[box][keyPath: axis]
            }
        }
    }

    /// Whether box `box` at `position` lies inside the arena.
    func fitsInArena(_ box: Int, at position: PixelVector) -> Bool {
        position.y >= arenaCorner.y && position.x >= arenaCorner.x
            && position.y + sizes[box].y <= arenaCorner.y + arenaSize.y
            && position.x + sizes[box].x <= arenaCorner.x + arenaSize.x
    }

    /// Whether the interiors of boxes `first` and `second` at the given positions overlap.
    func overlap(_ first: Int, _ firstPosition: PixelVector, _ second: Int, _ secondPosition: PixelVector) -> Bool {
        BouncingBoxes.overlap(firstPosition, sizes[first], secondPosition, sizes[second])
    }

    /// Whether the interiors of two boxes (top-left cell, size) overlap; touching edges do not.
    static func overlap(_ first: PixelVector, _ firstSize: PixelVector, _ second: PixelVector, _ secondSize: PixelVector) -> Bool {
        first.y < second.y + secondSize.y && second.y < first.y + firstSize.y
            && first.x < second.x + secondSize.x && second.x < first.x + firstSize.x
    }
}
