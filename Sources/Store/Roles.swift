/// The roles of a project (docs/project-file.md "Identity and roles").
public enum Role: String, Sendable, CaseIterable, Codable {
    case rater, lead, auditor, admin, model

    /// "a rater", "an auditor": for messages.
    public var withArticle: String {
        (self == .auditor || self == .admin ? "an " : "a ") + rawValue
    }
}

/// The person (or model) a Store session acts for, resolved from the OS login.
public struct Actor: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let role: Role
}

/// What each role may do. One table, enforced inside Store whatever the caller
/// (docs/security.md "Who reads what"): every check, reads included, asks it.
public enum Permission: Sendable, Hashable, CaseIterable {
    case addRater, addRubric, addClips, assign, importLabels, submitLabels
    case readAllLabels, readOwnLabels, readAggregates, listRaters, verifyAudit
    case adjudicate, manageGold

    /// The standard table's cell; sessions ask theirs (`PermissionTable`).
    func allowed(for role: Role) -> Bool {
        switch (self, role) {
        case (_, .admin): return true
        case (.addRater, _): return false
        case (.addRubric, .lead), (.addClips, .lead), (.assign, .lead), (.importLabels, .lead): return true
        case (.addRubric, _), (.addClips, _), (.assign, _), (.importLabels, _): return false
        case (.submitLabels, .rater), (.submitLabels, .lead): return true
        case (.submitLabels, _): return false
        case (.readAllLabels, .lead): return true
        case (.readAllLabels, _): return false
        case (.readOwnLabels, .rater), (.readOwnLabels, .lead): return true
        case (.readOwnLabels, _): return false
        case (.readAggregates, .lead), (.readAggregates, .auditor): return true
        case (.readAggregates, _): return false
        case (.listRaters, .lead), (.listRaters, .auditor): return true
        case (.listRaters, _): return false
        case (.verifyAudit, .lead), (.verifyAudit, .auditor): return true
        case (.verifyAudit, _): return false
        case (.adjudicate, .lead), (.manageGold, .lead): return true
        case (.adjudicate, _), (.manageGold, _): return false
        }
    }

    var sentence: String {
        switch self {
        case .addRater: return "add raters or change roles (admins only)"
        case .addRubric: return "add rubrics (admins and leads)"
        case .addClips: return "add clips (admins and leads)"
        case .assign: return "assign work (admins and leads)"
        case .importLabels: return "import labels (admins and leads)"
        case .submitLabels: return "submit labels (raters, leads and admins)"
        case .readAllLabels: return "read other raters' labels (leads and admins; raters see only their own)"
        case .readOwnLabels: return "read labels (raters see their own; leads and admins all)"
        case .readAggregates: return "read agreement and progress of the whole project (leads, auditors and admins)"
        case .listRaters: return "list raters (leads, auditors and admins)"
        case .verifyAudit: return "verify the audit log (leads, auditors and admins)"
        case .adjudicate: return "see the adjudication queue or decide items (leads and admins)"
        case .manageGold: return "add gold answers (leads and admins)"
        }
    }
}

/// The permission table a session decides by: the standard one (`Permission.allowed`),
/// with cells changed only where `changed` says. Production sessions use `.standard`;
/// tests change one cell and check that the role then sees what the cell says, so no
/// read decides by role names of its own.
struct PermissionTable: Sendable {
    struct Cell: Hashable, Sendable {
        var permission: Permission
        var role: Role
    }

    var changed: [Cell: Bool] = [:]

    static let standard = PermissionTable()

    func allows(_ permission: Permission, _ role: Role) -> Bool {
        changed[Cell(permission: permission, role: role)] ?? permission.allowed(for: role)
    }
}
