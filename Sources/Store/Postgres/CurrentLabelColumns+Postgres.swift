import Foundation
import PostgresClient

/// PostgreSQL's read of a batch's current labels (`CurrentLabelColumns.read`).
///
/// The one statement SQLite runs — item ⋈ label_current ⋈ label — costs PostgreSQL about
/// 2 s at a million labels (two hash joins of a million rows each, plus 1.5 s more to sort
/// them into SQLite's order), while a plain scan of each table costs a few hundred ms. So
/// three scans are streamed with `COPY … TO STDOUT` (the batch's items, its non-empty labels,
/// its label_current rows) and joined here on label ids, then put in SQLite's scan order:
/// clip id, rater id, criterion bytewise (item(batch_id, clip_id), then label_current's key).
/// All three run in the caller's one REPEATABLE READ snapshot, under the reader's row security;
/// the labels and label_current scans run at the same time, the second on the read's
/// `SnapshotSibling` (same login, same snapshot), which halves their wall time on two cores.
extension CurrentLabelColumns {
    /// COPY takes no bound parameters: the batch id is a setting of the read transaction
    /// (`set_config(…, true)` lasts until its end), and the statements read it back.
    static let batchSetting = "SELECT set_config('concord.batch_id', $1, true)"
    /// The batch's units, as `ProjectSession.batchLabels` reads them: a pairwise batch's pairs, not its pool.
    static let postgresItems = """
        COPY (SELECT i.id, i.clip_id FROM item i WHERE i.batch_id = current_setting('concord.batch_id')::bigint
              AND (EXISTS (SELECT 1 FROM item_pair p WHERE p.item_id = i.id)
                   OR NOT EXISTS (SELECT 1 FROM item_pair p WHERE p.batch_id = i.batch_id))) TO STDOUT
        """
    static let postgresLabels = """
        COPY (SELECT l.id, l.value, l.submitted_at, l.dwell_ms FROM label l JOIN item i ON i.id = l.item_id
        WHERE i.batch_id = current_setting('concord.batch_id')::bigint AND l.value <> '') TO STDOUT
        """
    static let postgresCurrent = """
        COPY (SELECT c.item_id, c.rater_id, c.criterion, c.label_id FROM label_current c JOIN item i ON i.id = c.item_id
        WHERE i.batch_id = current_setting('concord.batch_id')::bigint) TO STDOUT
        """

    mutating func readCopy(_ postgres: PostgresDatabase, batchID: Int64, indexOfItem: [Int64: Int32]) throws {
        let connection = postgres.connection
        try connection.execute(Self.batchSetting, [String(batchID)])

        // Each item's rank by clip id.
        var itemsByClip: [(clip: Int64, item: Int32)] = []
        var malformed = false
        try connection.copyOut(Self.postgresItems) { row in
            guard let item = row.int64(0).flatMap({ indexOfItem[$0] }), let clip = row.int64(1) else { malformed = true; return }
            itemsByClip.append((clip, item))
        }
        var clipRank = [Int32](repeating: 0, count: indexOfItem.count)
        for (rank, entry) in itemsByClip.sorted(by: { $0.clip < $1.clip }).enumerated() { clipRank[Int(entry.item)] = Int32(rank) }

        // The two big scans at once when the read offers a second connection in its snapshot
        // (each is about half a second at a million labels), else one after the other.
        let labels: LabelRows, current: CurrentRows
        if let sibling = try postgres.sibling?.connection() {
            try sibling.execute(Self.batchSetting, [String(batchID)])
            (labels, current) = try atOnce({ try LabelRows(connection) }, { try CurrentRows(sibling, indexOfItem: indexOfItem) })
        } else {
            labels = try LabelRows(connection)
            current = try CurrentRows(connection, indexOfItem: indexOfItem)
        }
        if malformed || labels.malformed || current.malformed {
            throw StoreError(.project, "PostgreSQL sent a label row concord cannot read (a NULL or a non-number where the schema has none)")
        }
        let values = labels.values, times = labels.times, dwells = labels.dwells
        let rowItem = current.item, rowRater = current.rater, rowCriterion = current.criterion, criterionBytes = current.criterionBytes

        // Each current label's slot among the non-empty labels; one not among them is a
        // withdrawn answer, left out.
        let slots = LabelSlots(labels.ids)
        var rowLabel = [Int32](repeating: -1, count: current.label.count)
        for i in current.label.indices { rowLabel[i] = slots.slot(current.label[i]) ?? -1 }

        // SQLite's order: clip rank, rater id, criterion bytewise.
        let criterionOrder = criterionBytes.indices.sorted { criterionBytes[$0].lexicographicallyPrecedes(criterionBytes[$1]) }
        var criterionRank = [Int](repeating: 0, count: criterionBytes.count)
        for (rank, code) in criterionOrder.enumerated() { criterionRank[code] = rank }
        var raterSet = Set<Int64>(), previous: Int64?
        for rater in rowRater where rater != previous {   // rows come grouped by rater: few inserts
            raterSet.insert(rater)
            previous = rater
        }
        let raterOrder = raterSet.sorted()
        let raterRank = Dictionary(uniqueKeysWithValues: raterOrder.enumerated().map { ($1, Int32($0)) })
        var rowRaterRank = [Int32](repeating: 0, count: rowRater.count), lastRater: Int64 = -1, lastRank: Int32 = 0
        for i in rowRater.indices {
            if rowRater[i] != lastRater { lastRater = rowRater[i]; lastRank = raterRank[lastRater]! }
            rowRaterRank[i] = lastRank
        }
        let order = Self.scanOrder(rows: rowItem.indices.filter { rowLabel[$0] >= 0 }, clips: clipRank.count, raters: raterOrder.count,
                                   criteria: criterionBytes.count) { i in
            (Int(clipRank[Int(rowItem[i])]), Int(rowRaterRank[i]), criterionRank[Int(rowCriterion[i])])
        }
        let criterionNames = criterionBytes.map { String(decoding: $0, as: UTF8.self) }
        reserve(order.count)
        for i in order {
            let slot = Int(rowLabel[i])
            append(item: rowItem[i], rater: rowRater[i], criterion: criterionNames[Int(rowCriterion[i])],
                   value: values[slot], time: times[slot], dwell: dwells[slot])
        }
    }
}

extension CurrentLabelColumns {
    /// `rows` ordered by their (clip rank, rater rank, criterion rank). Each triple is one
    /// label_current key (an item is one clip of its batch), so no two rows share one: when
    /// the triples are about as many as the rows (a batch where most raters answered most
    /// items, as at a million labels) each row is put straight at its triple's place, one
    /// pass instead of a sort; otherwise, or if two rows ever did share a place, they are
    /// sorted by the packed triple.
    static func scanOrder(rows: [Int], clips: Int, raters: Int, criteria: Int, rank: (Int) -> (Int, Int, Int)) -> [Int] {
        let (places, overflow) = clips.multipliedReportingOverflow(by: raters)
        let (cells, overflow2) = places.multipliedReportingOverflow(by: criteria)
        if !overflow && !overflow2 && cells <= 4 * rows.count + 4096 {
            var at = [Int32](repeating: -1, count: cells)
            var shared = false
            for row in rows {
                let (clip, rater, criterion) = rank(row)
                let place = (clip * raters + rater) * criteria + criterion
                if at[place] >= 0 { shared = true; break }
                at[place] = Int32(row)
            }
            if !shared {
                var order: [Int] = []
                order.reserveCapacity(rows.count)
                for row in at where row >= 0 { order.append(Int(row)) }
                return order
            }
        }
        var keyed = rows.map { row -> (key: (Int, Int, Int), row: Int) in (rank(row), row) }
        keyed.sort { $0.key < $1.key }
        return keyed.map(\.row)
    }
}

/// The batch's non-empty labels, current or not, in columns: `COPY` of `postgresLabels`.
private struct LabelRows {
    var ids: [Int64] = [], values: [String] = [], times: [String] = [], dwells: [Int32] = []
    var malformed = false

    init(_ connection: PostgresConnection) throws {
        var valueNames = BulkRead.Interner(capacity: 16), timeNames = BulkRead.Interner(capacity: 1)
        try connection.copyOut(CurrentLabelColumns.postgresLabels) { row in
            guard let id = row.int64(0), let value = row.withBytes(1, { $0.map { valueNames.string($0) } }),
                  let time = row.withBytes(2, { $0.map { timeNames.string($0) } }) else { malformed = true; return }
            ids.append(id)
            values.append(value)
            times.append(time)
            dwells.append(row.isNull(3) ? -1 : Int32(clamping: row.int64(3) ?? -1))
        }
    }
}

/// The batch's label_current rows: item index, rater id, criterion (a small code into
/// `criterionBytes`) and label id. `COPY` of `postgresCurrent`.
private struct CurrentRows {
    var item: [Int32] = [], rater: [Int64] = [], criterion: [Int32] = [], label: [Int64] = []
    var criterionBytes: [[UInt8]] = []
    var malformed = false

    init(_ connection: PostgresConnection, indexOfItem: [Int64: Int32]) throws {
        var lastCode: Int32 = 0
        // The batch's item ids by index: a lookup by array (ids are nearly contiguous) per row.
        var itemIDs = [Int64](repeating: 0, count: indexOfItem.count)
        for (id, index) in indexOfItem { itemIDs[Int(index)] = id }
        let itemIndex = LabelSlots(itemIDs)
        try connection.copyOut(CurrentLabelColumns.postgresCurrent) { row in
            guard let item = row.int64(0).flatMap({ itemIndex.slot($0) }), let rater = row.int64(1), let label = row.int64(3) else {
                malformed = true
                return
            }
            let code: Int32? = row.withBytes(2) { bytes in
                guard let bytes else { return nil }
                if Int(lastCode) < criterionBytes.count, BulkRead.Interner.same(criterionBytes[Int(lastCode)], bytes) { return lastCode }
                if let known = criterionBytes.firstIndex(where: { BulkRead.Interner.same($0, bytes) }) { lastCode = Int32(known); return lastCode }
                criterionBytes.append(Array(bytes))
                lastCode = Int32(criterionBytes.count - 1)
                return lastCode
            }
            guard let code else { malformed = true; return }
            self.item.append(item)
            self.rater.append(rater)
            criterion.append(code)
            self.label.append(label)
        }
    }
}

/// Runs `second` on a thread of its own while `first` runs on this one, and returns both
/// results (the first error, `first`'s before `second`'s, is rethrown). Each closure uses
/// its own connection: a libpq connection is used by one thread at a time.
private func atOnce<A, B>(_ first: () throws -> A, _ second: @escaping () throws -> B) throws -> (A, B) {
    let work = UncheckedBox(second)
    let result = UncheckedBox<Result<B, Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        result.value = Result { try work.value() }
        done.signal()
    }
    thread.start()
    let firstResult = Result { try first() }
    done.wait()
    return (try firstResult.get(), try result.value!.get())
}

/// Hands a value to one other thread, which alone uses it until the handing thread waits
/// for it (`atOnce`): the semaphore orders the accesses.
private final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// Label (or item) id → its position among the ids given: an array when the ids are nearly
/// contiguous (as a batch's labels and items are), else a dictionary.
private struct LabelSlots {
    private let first: Int64
    private let dense: [Int32]
    private let sparse: [Int64: Int32]

    init(_ ids: [Int64]) {
        guard let low = ids.min(), let high = ids.max(), high - low < Int64(ids.count) * 4 + 1024 else {
            first = 0
            dense = []
            sparse = Dictionary(ids.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
            return
        }
        var dense = [Int32](repeating: -1, count: Int(high - low) + 1)
        for (slot, id) in ids.enumerated() { dense[Int(id - low)] = Int32(slot) }
        first = low
        self.dense = dense
        sparse = [:]
    }

    func slot(_ id: Int64) -> Int32? {
        if dense.isEmpty { return sparse[id] }
        guard id >= first, id - first < Int64(dense.count) else { return nil }
        let slot = dense[Int(id - first)]
        return slot < 0 ? nil : slot
    }
}
