import Foundation

/// The PostgreSQL side of pairwise batches (ProjectSession+Pairs.swift): each write is one
/// call of a SECURITY DEFINER function, as for clips and assignments, so the database checks
/// the caller's role and writes the audit event itself (docs/server.md).
extension ProjectSession {
    func addPairs(_ pairs: [PairRequest], batch: String, rubric: String?, on postgres: PostgresProject) throws -> [AddedPair] {
        throw StoreError.input("pair add is not built yet on PostgreSQL")
    }

    func tagClips(_ tags: [ClipTag], on postgres: PostgresProject) throws -> Int {
        throw StoreError.input("clip tags are not built yet on PostgreSQL")
    }

    func assignPairs(batch: String, plan: [PairPlanEntry], on postgres: PostgresProject) throws -> Int {
        throw StoreError.input("pair assignment is not built yet on PostgreSQL")
    }
}
