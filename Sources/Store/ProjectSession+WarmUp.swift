extension ProjectSession {
    /// Readies the session for the commits to come, as the workbench (`concord rate`) is
    /// about to make them: call once after opening, by the session that will commit (a
    /// read-only command has nothing to gain). On PostgreSQL a connection's first call of
    /// the write functions compiles and plans them (10–60 ms, partly under the one write
    /// lock, so other raters' commits wait for it too); this spends that time now, in a dry
    /// run that writes nothing and takes no lock a writer takes, and again on any connection
    /// made after one was lost. On a project file there is nothing to ready.
    ///
    /// Never fails: an actor who may not submit labels skips it, and whatever else goes
    /// wrong here is the next commit's to report.
    public func warmUpCommits() {
        guard allows(.submitLabels), let postgres = store.postgres else { return }
        warmUpCommits(on: postgres)
    }
}
