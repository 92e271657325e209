import Glibc

/// One track's sample table read straight from an MP4/MOV's `moov` box: each sample's size
/// (`stsz`), decoding time (`stts`, counted from 0) and composition offset (`ctts`).
///
/// Why: libavformat parses the same boxes when the file is opened, but its index entries
/// (`avformat_index_get_entry`) carry each sample's DTS only; the composition offsets that
/// make the PTS are private to the demuxer. Reading them here costs one read of the `moov`
/// (about 1 MB for an hour at 25 fps) and a pass over its arrays, where replaying the
/// demuxer's packets costs a packet allocation per sample (`FrameIndex.fromSampleTable`).
///
/// Only what is needed to check the table against libavformat's own index is kept; anything
/// unusual — a fragmented file (`mvex`), a compressed `moov` (`cmov`), `stz2`, two tracks with
/// one id, boxes that overrun their parent — gives nil, and the caller falls back.
struct MP4SampleTable: Equatable {
    var sizes: [Int32] = []
    /// Decoding time of each sample from the `stts` durations, the first at 0.
    var decodeTimes: [Int64] = []
    /// Composition offset of each sample (`ctts`, read as signed as libavformat does); nil when
    /// the track has no `ctts` (PTS = DTS).
    var compositionOffsets: [Int32]?
    /// Size of the file in bytes, to check that every sample lies inside it.
    var fileSize: Int64 = 0

    /// Largest `moov` read (a 24-hour clip at 60 fps is about 30 MB).
    static let maxMoovBytes: Int64 = 256 << 20

    /// The table of the track whose `tkhd` id is `trackID` in the file at `path`, or nil.
    static func read(path: String, trackID: Int64) -> MP4SampleTable? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int64(info.st_size)
        guard let moov = readMoov(fd: fd, fileSize: size) else { return nil }
        var table = parse(moov: moov, trackID: trackID)
        table?.fileSize = size
        return table
    }

    /// The payload of the first top-level `moov` box, walking the top-level box headers.
    private static func readMoov(fd: Int32, fileSize: Int64) -> [UInt8]? {
        var offset: Int64 = 0
        var header = [UInt8](repeating: 0, count: 16)
        for _ in 0..<100_000 {
            guard offset + 8 <= fileSize else { return nil }
            let got = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 16, off_t(offset)) }
            guard got >= 8 else { return nil }
            var boxSize = Int64(be32(header, 0))
            var headerSize: Int64 = 8
            if boxSize == 1 {
                guard got == 16 else { return nil }
                boxSize = Int64(bitPattern: UInt64(be32(header, 8)) << 32 | UInt64(be32(header, 12)))
                headerSize = 16
            } else if boxSize == 0 {
                boxSize = fileSize - offset
            }
            guard boxSize >= headerSize, offset + boxSize <= fileSize else { return nil }
            if be32(header, 4) == Self.moov {
                let length = boxSize - headerSize
                guard length <= maxMoovBytes else { return nil }
                var complete = true
                let payload = [UInt8](unsafeUninitializedCapacity: Int(length)) { buffer, filled in
                    while filled < buffer.count {
                        let n = pread(fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + headerSize) + off_t(filled))
                        guard n > 0 else { complete = false; return }
                        filled += n
                    }
                }
                return complete ? payload : nil
            }
            offset += boxSize
        }
        return nil
    }

    /// The children of the box whose payload is `bytes[range]`: (type, payload range).
    private static func children(_ bytes: [UInt8], _ range: Range<Int>) -> [(UInt32, Range<Int>)]? {
        var out: [(UInt32, Range<Int>)] = []
        var at = range.lowerBound
        while at + 8 <= range.upperBound {
            var boxSize = Int(be32(bytes, at))
            var headerSize = 8
            if boxSize == 1 {
                guard at + 16 <= range.upperBound else { return nil }
                let large = UInt64(be32(bytes, at + 8)) << 32 | UInt64(be32(bytes, at + 12))
                guard large <= UInt64(range.upperBound - at) else { return nil }
                boxSize = Int(large)
                headerSize = 16
            } else if boxSize == 0 {
                boxSize = range.upperBound - at
            }
            guard boxSize >= headerSize, at + boxSize <= range.upperBound else { return nil }
            out.append((be32(bytes, at + 4), (at + headerSize)..<(at + boxSize)))
            at += boxSize
        }
        return out
    }

    private static func child(_ bytes: [UInt8], _ range: Range<Int>, _ type: UInt32) -> Range<Int>? {
        guard let list = children(bytes, range) else { return nil }
        let found = list.filter { $0.0 == type }
        return found.count == 1 ? found[0].1 : nil
    }

    static func parse(moov bytes: [UInt8], trackID: Int64) -> MP4SampleTable? {
        guard let top = children(bytes, 0..<bytes.count),
              !top.contains(where: { $0.0 == tag("mvex") || $0.0 == tag("cmov") }) else { return nil }
        var found: MP4SampleTable?
        for (type, range) in top where type == tag("trak") {
            guard let tkhd = child(bytes, range, tag("tkhd")), tkhd.count >= 24 else { return nil }
            let version = bytes[tkhd.lowerBound]
            let idAt = tkhd.lowerBound + (version == 1 ? 20 : 12)
            guard idAt + 4 <= tkhd.upperBound else { return nil }
            guard Int64(be32(bytes, idAt)) == trackID else { continue }
            guard found == nil,   // two tracks with one id: which one libavformat took is unclear
                  let mdia = child(bytes, range, tag("mdia")), let minf = child(bytes, mdia, tag("minf")),
                  let stbl = child(bytes, minf, tag("stbl")), let table = sampleTable(bytes, stbl) else { return nil }
            found = table
        }
        return found
    }

    private static func sampleTable(_ bytes: [UInt8], _ stbl: Range<Int>) -> MP4SampleTable? {
        guard let boxes = children(bytes, stbl) else { return nil }
        let stsz = boxes.filter { $0.0 == tag("stsz") }, stts = boxes.filter { $0.0 == tag("stts") }
        let ctts = boxes.filter { $0.0 == tag("ctts") }
        guard stsz.count == 1, stts.count == 1, ctts.count <= 1 else { return nil }
        let stszBox = stsz[0].1
        var table = MP4SampleTable()

        // stsz: version/flags, sample size (0: one per sample follows), count.
        guard stszBox.count >= 12 else { return nil }
        let fixed = be32(bytes, stszBox.lowerBound + 4)
        let count = Int(be32(bytes, stszBox.lowerBound + 8))
        if fixed != 0 {
            guard fixed <= UInt32(Int32.max) else { return nil }
            table.sizes = Array(repeating: Int32(fixed), count: count)
        } else {
            guard stszBox.count >= 12 + 4 * count else { return nil }
            let first = stszBox.lowerBound + 12
            table.sizes = bytes.withUnsafeBufferPointer { b in
                [Int32](unsafeUninitializedCapacity: count) { out, n in
                    for i in 0..<count { out[i] = Int32(bitPattern: be32(b, first + 4 * i)) }
                    n = count
                }
            }
        }

        // stts: (count, duration) runs; the duration read as signed, as libavformat does.
        guard let durations = runs(bytes, stts[0].1, total: count) else { return nil }
        table.decodeTimes = [Int64](unsafeUninitializedCapacity: count) { out, filled in
            var dts: Int64 = 0, i = 0
            for (n, duration) in durations {
                for _ in 0..<n {
                    out[i] = dts
                    dts &+= Int64(duration)
                    i += 1
                }
            }
            filled = i
        }

        // ctts: (count, offset) runs. libavformat ignores the whole box when an offset is
        // beyond ±2^28 (and covers samples past its end with PTS = DTS): left to the fallback.
        if let cttsBox = ctts.first?.1 {
            guard let offsetRuns = runs(bytes, cttsBox, total: count),
                  offsetRuns.allSatisfy({ abs(Int64($0.value)) < 1 << 28 }) else { return nil }
            table.compositionOffsets = [Int32](unsafeUninitializedCapacity: count) { out, filled in
                for (n, offset) in offsetRuns {
                    for _ in 0..<n {
                        out[filled] = offset
                        filled += 1
                    }
                }
            }
        }
        return table
    }

    /// The (count, value) runs of an `stts`/`ctts` box; nil unless every count is positive and
    /// they add up to exactly `total` samples.
    private static func runs(_ bytes: [UInt8], _ box: Range<Int>, total: Int) -> [(count: Int, value: Int32)]? {
        guard box.count >= 8 else { return nil }
        let entries = Int(be32(bytes, box.lowerBound + 4))
        guard box.count >= 8 + 8 * entries else { return nil }
        var out: [(count: Int, value: Int32)] = []
        out.reserveCapacity(entries)
        var sum = 0
        var at = box.lowerBound + 8
        for _ in 0..<entries {
            let n = Int(Int32(bitPattern: be32(bytes, at)))
            guard n > 0 else { return nil }
            sum += n
            guard sum <= total else { return nil }
            out.append((n, Int32(bitPattern: be32(bytes, at + 4))))
            at += 8
        }
        return sum == total ? out : nil
    }

    private static func be32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    private static func be32(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    static let moov = tag("moov")

    /// A box type as the big-endian number its four characters make.
    private static func tag(_ name: StaticString) -> UInt32 {
        let p = name.utf8Start
        return UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
    }
}
