import GRDB

/// A batch's current, non-empty labels read into columns (`labelsForAgreement`): a million
/// labels are a few arrays, not a million objects.
///
/// The SQLite store reads them through SQLite's C API with interned strings (`BulkRead`),
/// its one hot read; PostgreSQL streams its tables with `COPY … TO STDOUT` and joins and
/// orders them here (`readCopy`, CurrentLabelColumns+Postgres.swift); any other store reads
/// the same statement row by row through `SQLDatabase`. All fill the columns alike: raters
/// are numbered in the order the labels meet them, labels are in SQLite's scan order. The
/// statement has no ORDER BY (sorting a million rows would cost more than SQLite's scan,
/// which already goes clip by clip, then by label_current's key: rater id, then criterion
/// bytewise); PostgreSQL's read puts its rows in that order, so both stores number raters
/// alike and sum in one order.
struct CurrentLabelColumns {
    /// Rater ids by rater index.
    var raterIDs: [Int64] = []
    var itemIndex: [Int32] = []
    var raterIndex: [Int32] = []
    var criteria: [String] = []
    var values: [String] = []
    var times: [String] = []
    var dwell: [Int32] = []

    static let sql = """
        SELECT c.item_id, c.rater_id, c.criterion, l.value, l.submitted_at, l.dwell_ms FROM item i
        JOIN label_current c ON c.item_id = i.id JOIN label l ON l.id = c.label_id
        WHERE i.batch_id = ? AND l.value <> ''
        """

    private var indexOfRater: [Int64: Int32] = [:]
    private var lastRaterID: Int64 = -1, lastRater: Int32 = -1

    /// `indexOfItem`: the batch's item ids → their index in the batch.
    mutating func read(_ db: any SQLDatabase, batchID: Int64, indexOfItem: [Int64: Int32]) throws {
        if let sqlite = db as? SQLiteDatabase {
            try readBulk(sqlite, batchID: batchID, indexOfItem: indexOfItem)
        } else if let postgres = db as? PostgresDatabase {
            try readCopy(postgres, batchID: batchID, indexOfItem: indexOfItem)
        } else {
            try readRows(db, batchID: batchID, indexOfItem: indexOfItem)
        }
    }

    /// SQLite: the C API over a statement GRDB prepared (BulkRead).
    mutating func readBulk(_ sqlite: SQLiteDatabase, batchID: Int64, indexOfItem: [Int64: Int32]) throws {
        sqlite.trace?.record(Self.sql, [batchID])
        let statement = try sqlite.db.makeStatement(sql: Self.sql)
        try statement.setArguments([batchID])
        let rows = BulkRead(statement: statement.sqliteStatement, connection: sqlite.db.sqliteConnection)
        var criterionNames = BulkRead.Interner(capacity: 64), valueNames = BulkRead.Interner(capacity: 16)
        var timeNames = BulkRead.Interner(capacity: 1)
        let itemColumn = rows.column("item_id"), raterColumn = rows.column("rater_id"), criterionColumn = rows.column("criterion")
        let valueColumn = rows.column("value"), timeColumn = rows.column("submitted_at"), dwellColumn = rows.column("dwell_ms")
        while try rows.next() {
            append(item: indexOfItem[rows.int64(itemColumn)]!, rater: rows.int64(raterColumn),
                   criterion: rows.text(criterionColumn, &criterionNames), value: rows.text(valueColumn, &valueNames),
                   time: rows.text(timeColumn, &timeNames),
                   dwell: rows.isNull(dwellColumn) ? -1 : Int32(clamping: rows.int64(dwellColumn)))
        }
    }

    /// Any store: the same statement through `SQLDatabase`, columns found once by name.
    mutating func readRows(_ db: any SQLDatabase, batchID: Int64, indexOfItem: [Int64: Int32]) throws {
        var columns: (item: Int, rater: Int, criterion: Int, value: Int, time: Int, dwell: Int)?
        try db.forEachRow(Self.sql, [batchID]) { row in
            let c = columns ?? (row.position(of: "item_id"), row.position(of: "rater_id"), row.position(of: "criterion"),
                                row.position(of: "value"), row.position(of: "submitted_at"), row.position(of: "dwell_ms"))
            columns = c
            let dwell: Int64? = row[at: c.dwell]
            append(item: indexOfItem[row[at: c.item]]!, rater: row[at: c.rater], criterion: row[at: c.criterion],
                   value: row[at: c.value], time: row[at: c.time], dwell: dwell.map { Int32(clamping: $0) } ?? -1)
        }
    }

    /// Room for `count` more labels, when the reader knows how many come.
    mutating func reserve(_ count: Int) {
        itemIndex.reserveCapacity(itemIndex.count + count)
        raterIndex.reserveCapacity(raterIndex.count + count)
        criteria.reserveCapacity(criteria.count + count)
        values.reserveCapacity(values.count + count)
        times.reserveCapacity(times.count + count)
        dwell.reserveCapacity(dwell.count + count)
    }

    mutating func append(item: Int32, rater raterID: Int64, criterion: String, value: String, time: String, dwell: Int32) {
        if raterID != lastRaterID {
            if let known = indexOfRater[raterID] { lastRater = known } else {
                lastRater = Int32(raterIDs.count)
                indexOfRater[raterID] = lastRater
                raterIDs.append(raterID)
            }
            lastRaterID = raterID
        }
        itemIndex.append(item)
        raterIndex.append(lastRater)
        criteria.append(criterion)
        values.append(value)
        times.append(time)
        self.dwell.append(dwell)
    }
}
