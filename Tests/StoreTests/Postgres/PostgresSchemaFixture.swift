import Foundation
import PostgresClient
import PostgresTestSupport
@testable import Store

/// A concord project installed in a private cluster as a DBA and a project admin would make
/// it (docs/server.md): a login with CREATEROLE owning an empty database, then
/// `PostgresSchema.install` as that login. Connections go over the cluster's socket.
struct InstalledProject {
    let cluster: PostgresCluster
    let database: String
    /// The login that ran init: the project's first admin.
    let admin: String

    /// The DBA's part (`createuser --createrole ADMIN; createdb -O ADMIN DATABASE`), as the
    /// bootstrap superuser.
    static func prepare(_ cluster: PostgresCluster, database: String = "concord_t", admin: String = "ada") throws {
        let superuser = try PostgresConnection(uri: cluster.uri())
        try superuser.execute("CREATE ROLE \(PostgresSchema.quoteIdentifier(admin)) LOGIN CREATEROLE")
        try superuser.execute("CREATE DATABASE \(PostgresSchema.quoteIdentifier(database)) OWNER \(PostgresSchema.quoteIdentifier(admin))")
    }

    /// The DBA's part, then `concord init` as the admin login.
    static func install(_ cluster: PostgresCluster, database: String = "concord_t", admin: String = "ada",
                        name: String = "t") throws -> InstalledProject {
        try prepare(cluster, database: database, admin: admin)
        let project = InstalledProject(cluster: cluster, database: database, admin: admin)
        try PostgresSchema.install(connection: try project.connect(as: admin), database: database, projectName: name)
        return project
    }

    func connect(as user: String = PostgresCluster.superuser) throws -> PostgresConnection {
        try PostgresConnection(uri: cluster.uri(database: database, user: user))
    }

    /// A login role for a person, as the DBA makes one (`createuser NAME`).
    func createLogin(_ name: String) throws {
        try connect().execute("CREATE ROLE \(PostgresSchema.quoteIdentifier(name)) LOGIN")
    }

    /// The first column of every row of `sql` run as the superuser (NULL as nil).
    func column(_ sql: String, _ parameters: [String?] = []) throws -> [String?] {
        try connect().execute(sql, parameters).rows.map { $0[0] }
    }
}
