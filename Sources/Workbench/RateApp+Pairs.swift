import Store

/// `concord rate` on a pair item (docs/pairwise.md, "Workbench"): the two clips side by side
/// when the terminal gives each a useful picture (`PairLayout`), else one at a time in the
/// usual layout with `Tab` flipping; both played by one clock (`PairPanes`, `PairPlayback`).
extension RateApp {
    /// Lays a pair item out for the terminal's size and the clips' shapes, and tells the
    /// model whether `Tab` flips the clip shown.
    func layOutPair(columns: Int, rows: Int) {
        let aspects = pairs.pictureAspects
        pairLayout = PairLayout(columns: columns, rows: rows, aspects: aspects)
        model.oneAtATime = pairLayout == nil
        pairs.link.pictures = pairLayout == nil ? 1 : 2
        layout = PaneLayout(columns: columns, rows: rows, pictureAspect: model.shownSide == .left ? aspects.left : aspects.right)
        terminal.invalidate()
        pairs.invalidate(panes: pairPanes)
    }

    /// Where each clip of the pair is drawn now: both panes side by side, the shown one
    /// alone, or none (help, a terminal too small).
    var pairPanes: [PairSide: CellGrid.Rect] {
        guard showsPicture, let layout else { return [:] }
        if let pairLayout { return [.left: pairLayout.left, .right: pairLayout.right] }
        return [model.shownSide: layout.preview]
    }

    /// Paints the grid, then each clip's frame into its pane (the one-clip pane taken off).
    func showPair(_ grid: CellGrid) {
        terminal.paint(grid)
        shell.clip.hide(on: terminal)
        var next: [PairSide: String] = [:]
        if let entry = model.nextEntry, entry.pair != nil {
            for side in [PairSide.left, .right] { next[side] = ClipPane.path(locate(entry.clipFile(on: side))) }
        }
        pairs.draw(on: terminal, panes: pairPanes, next: next)
    }

    func drawPairScreen(into grid: CellGrid, layout: PaneLayout) {
        var problems: [PairSide: String] = [:]
        for side in [PairSide.left, .right] {
            if let problem = pairs.pane(side).problem { problems[side] = "\(problem). Skip the pair with s and a reason, or ask the lead." }
        }
        PairScreen(grid: grid, single: layout, layout: pairLayout, rater: session.actor.name)
            .draw(model: model, playback: pairs.playback, secondsOnItem: Int(WorkbenchTerminal.now() - itemOpenedAt), problems: problems)
    }

    /// A pair's submission: the frame and PTS on screen of clip a (the item's own clip),
    /// both clips' seen share (the smaller: `require_full_view` asks for both watched), and
    /// the display as clip a's pane showed it (both panes are the same size).
    func pairSubmission(_ entry: QueueEntry, answers: [String: String]) -> ItemSubmission {
        let pane = pairs.pane(entry.sideOfClipA)
        let frame = pane.player?.frame
        let pts = frame.flatMap { f in pane.source.map { $0.decoder.frameTimes[f] } }
        return ItemSubmission(item: entry.item, answers: answers, frame: frame, pts: pts,
                              dwellMs: Int((WorkbenchTerminal.now() - itemOpenedAt) * 1000),
                              watchedShare: min(1, pairs.playback?.watchedShare ?? 0),
                              display: .seen(on: model.display, capabilities: shell.capabilities,
                                             pane: pairLayout?.pane(entry.sideOfClipA) ?? layout?.preview,
                                             decoder: pane.source?.decoder, player: pane.player))
    }
}
