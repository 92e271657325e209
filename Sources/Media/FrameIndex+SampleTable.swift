import CFFmpeg

extension FrameIndex {
    /// Video packets read to check the sample table's PTS against libavformat's own
    /// (`fromSampleTable`): those `avformat_find_stream_info` already read, usually.
    static let checkedPackets = 16
    /// Packets of any stream read looking for them (an MP4 whose audio all precedes its
    /// video is left to the replay rather than read through).
    static let maxPacketsRead = 256

    /// The index from libavformat's index entries (each sample's DTS, size, position, key and
    /// discard flags, edit lists applied) plus the composition offsets read from the file's
    /// `ctts` (`MP4SampleTable`), without a packet per sample: the opening cost of a one-hour
    /// clip stays that of parsing its `moov` (issue 17; docs/architecture.md, "Opening the
    /// clip").
    ///
    /// libavformat makes a packet's PTS as DTS + a per-track constant (its `dts_shift`, set
    /// by rules of its own from negative offsets) + the sample's offset. So the table is
    /// taken only when it lines up with the entries exactly — the same number of samples,
    /// every size equal, every DTS the table's plus one constant (no sample dropped or
    /// repeated by an edit list), every sample inside the file — and the constant is not
    /// guessed: the first `checkedPackets` video packets of `context` must each agree on DTS
    /// and on PTS with one and the same constant. Otherwise nil, and the caller replays every
    /// packet instead. Reading them moves `context` on (`consumed`): a scan must then start
    /// from a fresh one.
    static func fromSampleTable(_ context: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>,
                                index: Int32, path: String, consumed: inout Bool) -> FrameIndex? {
        let count = Int(avformat_index_get_entries_count(stream))
        guard count > 0, let table = MP4SampleTable.read(path: path, trackID: Int64(stream.pointee.id)),
              table.sizes.count == count else { return nil }
        var entries: [AVIndexEntry] = []
        entries.reserveCapacity(count)
        var shift: Int64?
        for i in 0..<count {
            guard let entry = avformat_index_get_entry(stream, Int32(i))?.pointee,
                  entry.size == table.sizes[i], entry.pos >= 0, entry.pos + Int64(entry.size) <= table.fileSize else { return nil }
            let offset = entry.timestamp &- table.decodeTimes[i]
            if shift == nil { shift = offset } else if offset != shift { return nil }
            entries.append(entry)
        }
        let ctts = table.compositionOffsets
        guard let constant = ptsConstant(context, entries: entries, offsets: ctts, index: index, consumed: &consumed) else { return nil }

        var result = FrameIndex()
        result.timestamps.reserveCapacity(count)
        for (i, entry) in entries.enumerated() {
            guard entry.flags & AVINDEX_DISCARD_FRAME == 0 else { result.discarded += 1; continue }
            let dts = entry.timestamp
            let pts = ctts.map { dts &+ constant &+ Int64($0[i]) } ?? dts
            result.timestamps.append(pts)
            if entry.flags & AVINDEX_KEYFRAME != 0 { result.keys.append(Key(pts: pts, seek: min(dts, pts))) }
        }
        guard (try? result.check(declared: Int(stream.pointee.nb_frames), path: path)) != nil else { return nil }
        result.source = .container
        return result
    }

    /// The constant libavformat adds to DTS + composition offset to make a PTS, from the
    /// first `checkedPackets` video packets of `context` itself (those `avformat_find_stream_info`
    /// read are still buffered: usually no read at all); nil unless each has its entry's DTS and
    /// a PTS that agrees with one and the same constant. Sets `consumed` once a packet is read.
    private static func ptsConstant(_ context: UnsafeMutablePointer<AVFormatContext>, entries: [AVIndexEntry], offsets: [Int32]?,
                                    index: Int32, consumed: inout Bool) -> Int64? {
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        guard let packet else { return nil }
        let none = concord_av_nopts_value()
        var constant: Int64?
        var seen = 0, read = 0
        while seen < min(checkedPackets, entries.count), read < maxPacketsRead {
            consumed = true
            if av_read_frame(context, packet) < 0 { break }
            defer { av_packet_unref(packet) }
            read += 1
            let p = packet.pointee
            guard p.stream_index == index else { continue }
            guard p.dts == entries[seen].timestamp, p.pts != none else { return nil }
            let c = p.pts &- p.dts &- Int64(offsets?[seen] ?? 0)
            if offsets == nil, c != 0 { return nil }
            if constant == nil { constant = c } else if c != constant { return nil }
            seen += 1
        }
        return constant
    }
}
