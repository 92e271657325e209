import Foundation
import PostgresClient

/// `concord migrate --to postgresql://…`: ProjectMigration's PostgreSQL target.
extension ProjectMigration {
    /// `PostgresSchema.install` as `concord init` runs it, but the rows are the source's,
    /// COPYed as the owner role inside install's one transaction; the chain is verified there
    /// too, before COMMIT, so a copy that does not verify is rolled back with everything else.
    static func intoPostgres(_ store: ProjectStore, _ uri: String, session: ProjectSession) throws -> MigrationReport {
        let connection = try PostgresProject.connect(uri)
        let database = try PostgresProject.currentDatabase(connection)
        try refuseOutsider(connection, session: session)
        var report: MigrationReport?
        try store.read { source in
            try PostgresSchema.install(connection: connection, database: database) { connection in
                do {
                    let counts = try copy(from: source, into: PostgresTarget(connection: connection))
                    let db = PostgresDatabase(connection: connection, statements: PlaceholderCache())
                    let anchor = try verify(db, source: source, counts: counts, target: connection.displayURI)
                    report = MigrationReport(source: store.path, target: connection.displayURI, tables: counts, anchor: anchor)
                } catch let error as StoreError {
                    // install rolls the transaction back; its own failures say so already.
                    throw StoreError(error.kind, error.message + "; nothing was created in \(connection.displayURI)")
                }
            }
        }
        return report!
    }

    /// The login that copies into PostgreSQL gives up the owner role at the end of install,
    /// so it can use the copy only as the rater of its own name: unless that is one of the
    /// project's admins, nobody could run the project afterwards (add raters, grant roles).
    static func refuseOutsider(_ connection: PostgresConnection, session: ProjectSession) throws {
        let login: String
        do {
            login = try connection.execute("SELECT session_user AS name").rows.first?.first.flatMap { $0 } ?? ""
        } catch {
            throw PostgresProject.storeError(error, displayURI: connection.displayURI)
        }
        let admins = try session.raters().filter { $0.role == .admin }.map(\.name)
        if admins.contains(login) { return }
        throw StoreError.permission("\(login) is not an admin of the project in \(printableText(session.projectPath)), so after the copy "
                                    + "\(login) could not run it: connect to the target as one of its admins (\(admins.joined(separator: ", "))), "
                                    + "or first make \(login) one: concord rater add \(login) --role admin")
    }

    /// COPY, one statement per page.
    struct PostgresTarget: MigrationTarget {
        let connection: PostgresConnection

        func write(_ table: CopiedTable, _ rows: [[SQLValue]]) throws -> Int {
            let list = table.columns.joined(separator: ", ")
            return try connection.copyIn("COPY concord.\(table.name) (\(list)) FROM STDIN",
                                         rows: rows.lazy.map { $0.map(PostgresDatabase.text) })
        }
    }
}
