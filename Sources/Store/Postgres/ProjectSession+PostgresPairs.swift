import Foundation
import JSONWriter

/// The PostgreSQL side of pairwise batches (ProjectSession+Pairs.swift): each write is one
/// call of a SECURITY DEFINER function, as for clips and assignments, so the database checks
/// the caller's role and writes the audit event itself (docs/server.md).
extension ProjectSession {
    func addPairs(_ pairs: [PairRequest], batch: String, rubric: String?, on postgres: PostgresProject) throws -> [AddedPair] {
        let objects: [[String: Any]] = pairs.map { pair in
            var object: [String: Any] = ["a": pair.a, "b": pair.b]
            if let group = pair.group { object["group"] = group }
            if let source = pair.source { object["source"] = source }
            return object
        }
        let result = try postgres.call("add_pairs", [batch, rubric, JSON.encode(objects), actingAsArgument])
        return try Self.jsonArray(result, "add_pairs").map { entry in
            guard let item = (entry["item"] as? NSNumber)?.int64Value, let a = entry["a"] as? String, let b = entry["b"] as? String,
                  let isNew = entry["new"] as? Bool else { throw Self.unexpected("add_pairs", result) }
            return AddedPair(item: item, a: a, b: b, isNew: isNew)
        }
    }

    func tagClips(_ tags: [ClipTag], on postgres: PostgresProject) throws -> Int {
        let objects: [[String: Any]] = tags.map { tag in
            var object: [String: Any] = ["clip": tag.clip]
            if let group = tag.group { object["group"] = group }
            if let system = tag.system { object["system"] = system }
            return object
        }
        let result = try postgres.call("tag_clips", [JSON.encode(objects), actingAsArgument])
        guard let written = (try Self.jsonObject(result, "tag_clips")["written"] as? NSNumber)?.intValue else {
            throw Self.unexpected("tag_clips", result)
        }
        return written
    }

    func assignPairs(batch: String, plan: [PairPlanEntry], on postgres: PostgresProject) throws -> Int {
        let objects: [[String: Any]] = plan.map { entry in
            var object: [String: Any] = ["rater": entry.rater, "a": entry.a, "b": entry.b]
            if let group = entry.group { object["group"] = group }
            return object
        }
        let result = try postgres.call("assign_pairs", [batch, JSON.encode(objects), actingAsArgument])
        guard let created = (try Self.jsonObject(result, "assign_pairs")["created"] as? NSNumber)?.intValue else {
            throw Self.unexpected("assign_pairs", result)
        }
        return created
    }
}
