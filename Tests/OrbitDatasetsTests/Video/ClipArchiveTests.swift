import Foundation
import Orbit
import Testing
@testable import OrbitDatasets
import OrbitImages

/// A small archive of 6 x 10 frames (not square, so rows and columns cannot be confused): two clips per
/// subject in `subjects`, labels cycling over three classes, random pixels, frame counts from
/// `frameCounts` in turn. With `still`, every frame of a clip is the same picture.
func syntheticArchive(subjects: [Int] = [1, 2, 3, 4, 5], frameCounts: [Int] = [40, 33, 12, 31],
                      still: Bool = false, seed: UInt64 = 1) -> ClipArchive {
    var generator = RandomGenerator(seed: seed)
    var clips: [ClipArchive.Clip] = []
    for subject in subjects {
        for take in 0..<2 {
            let frameCount = frameCounts[clips.count % frameCounts.count]
            let picture = (0..<60).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let pixels = still ? (0..<frameCount).flatMap { _ in picture }
                : (0..<(frameCount * 60)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            clips.append(.init(label: clips.count % 3, subject: subject, name: "person\(subject)_take\(take)",
                               frameCount: frameCount, pixels: pixels))
        }
    }
    return ClipArchive(height: 6, width: 10, classNames: ["boxing", "handclapping", "walking"], clips: clips)
}

private func decodingError(_ bytes: [UInt8]) -> ClipArchiveError? {
    do {
        _ = try ClipArchive(decoding: bytes)
        return nil
    } catch {
        return error
    }
}

@Test func archiveRoundTripsThroughBytesAndFiles() throws {
    let archive = syntheticArchive(subjects: [1, 7], frameCounts: [3, 5])
    let bytes = archive.encoded()
    // Header: magic, then version 1, height 6, width 10, 3 classes, 4 clips, little-endian.
    #expect(Array(bytes[0..<8]) == Array("ORBCLIPS".utf8))
    #expect(Array(bytes[8..<28]) == [1, 0, 0, 0, 6, 0, 0, 0, 10, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0])
    #expect(Array(bytes[28..<36]) == [6, 0] + Array("boxing".utf8))
    #expect(UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8 | UInt32(bytes[bytes.count - 2]) << 16
            | UInt32(bytes[bytes.count - 1]) << 24 == CRC32.checksum(Array(bytes.dropLast(4))))
    let decoded = try ClipArchive(decoding: bytes)
    #expect(decoded == archive)
    #expect(decoded.clips[3].name == "person7_take1" && decoded.clips[3].subject == 7 && decoded.clips[3].frameCount == 5)

    let url = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-clips-\(UUID().uuidString).bin")
    defer { try? FileManager.default.removeItem(at: url) }
    try archive.write(to: url)
    #expect(try ClipArchive(contentsOf: url) == archive)
}

@Test func everyTruncationThrowsAndNamesWhereTheDataEnds() {
    let bytes = syntheticArchive(subjects: [2], frameCounts: [2, 1]).encoded()
    for length in 0..<bytes.count {
        #expect(decodingError(Array(bytes[0..<length])) != nil, "prefix of \(length) bytes")
    }
    // Cut inside the first clip's frames: the message says so.
    let firstFrames = 8 + 20 + (2 + 6) + (2 + 12) + (2 + 7) + 12 + (2 + 13)
    let error = decodingError(Array(bytes[0..<(firstFrames + 50)]))
    #expect(error == .truncated(section: "the frames of clip 0", offset: firstFrames, needed: 120, available: 50))
    #expect(error?.description.contains("truncated in the frames of clip 0") == true)
}

@Test func everyDamagedByteThrowsNeverTraps() {
    let bytes = syntheticArchive(subjects: [3], frameCounts: [2, 1]).encoded()
    for position in bytes.indices {
        for flip: UInt8 in [0x01, 0x80, 0xFF] {
            var damaged = bytes
            damaged[position] ^= flip
            #expect(decodingError(damaged) != nil, "byte \(position) ^ \(flip)")
        }
    }
}

@Test func specificDamageGivesSpecificErrors() throws {
    let bytes = syntheticArchive(subjects: [1], frameCounts: [2]).encoded()
    var magic = bytes
    magic[0] = UInt8(ascii: "X")
    #expect(decodingError(magic) == .notAClipArchive)
    #expect(decodingError([]) == .notAClipArchive)
    var version = bytes
    version[8] = 2
    #expect(decodingError(version) == .unsupportedVersion(2))
    var size = bytes
    size[12...15] = [0, 0, 0, 0]
    #expect(decodingError(size) == .invalidHeader("frame size 0x10 is outside 1...4096"))
    // The first clip's label field follows the header and the three class names.
    let labelOffset = 8 + 20 + (2 + 6) + (2 + 12) + (2 + 7)
    var label = bytes
    label[labelOffset] = 3
    #expect(decodingError(label) == .labelOutOfRange(clip: 0, label: 3, classCount: 3))
    var frameCount = bytes
    frameCount[labelOffset + 8] = 0
    #expect(decodingError(frameCount) == .emptyClip(clip: 0))
    var pixel = bytes
    pixel[labelOffset + 12 + 2 + 13] ^= 0x10   // a frame byte: the structure stays valid
    guard case .checksumMismatch = decodingError(pixel) else {
        Issue.record("a damaged pixel must fail the checksum, got \(String(describing: decodingError(pixel)))")
        return
    }
    #expect(decodingError(bytes + [0]) == .trailingBytes(count: 1))
    var name = bytes
    name[30] = 0xFF   // inside "boxing": not UTF-8
    #expect(decodingError(name) == .invalidText(section: "the name of class 0"))
}

@Test func fileErrorsAreThrownAsDatasetErrors() throws {
    let directory = FileManager.default.temporaryDirectory
    let missing = directory.appendingPathComponent("orbit-no-such-archive-\(UUID().uuidString).bin")
    let unreadable = #expect(throws: DatasetError.self) { try ClipArchive(contentsOf: missing) }
    guard case let .unreadableFile(path, _) = unreadable else {
        Issue.record("expected unreadableFile, got \(String(describing: unreadable))")
        return
    }
    #expect(path == missing.path)
    let corrupt = directory.appendingPathComponent("orbit-corrupt-archive-\(UUID().uuidString).bin")
    defer { try? FileManager.default.removeItem(at: corrupt) }
    try Data(syntheticArchive(subjects: [1], frameCounts: [2]).encoded().dropLast(3)).write(to: corrupt)
    let damaged = #expect(throws: DatasetError.self) { try ClipArchive(contentsOf: corrupt) }
    guard case let .corruptFile(corruptPath, reason) = damaged else {
        Issue.record("expected corruptFile, got \(String(describing: damaged))")
        return
    }
    #expect(corruptPath == corrupt.path && reason.contains("truncated in the checksum"), "\(reason)")
}
