import Testing
import TerminalGraphics

/// Timings for the benchmark notes: printed, never asserted (debug builds are slow and
/// shared machines noisy). Release numbers come from `swift test -c release`.
@Suite struct EncodeTimingTests {
    @Test func printTimings() {
        let clock = ContinuousClock()
        let frame = Pictures.noisyGradient(640, 360, noise: 8)
        let flat = Pictures.gradient(640, 360)
        func median(runs: Int = 3, _ body: () -> Int) -> (Duration, Int) {
            var times: [Duration] = [], size = 0
            for _ in 0..<runs { let t = clock.now; size = body(); times.append(clock.now - t) }
            return (times.sorted()[runs / 2], size)
        }
        for (name, img) in [("noisy gradient", frame), ("xor gradient", flat)] {
            let (t, bytes) = median { SixelEncoder().encode(img).count }
            print("sixel 640×360 \(name): \(t) median of 3, \(bytes) bytes")
            let (td, bytesD) = median(runs: 1) { SixelEncoder(dithering: true).encode(img).count }
            print("sixel 640×360 \(name), dithered: \(td), \(bytesD) bytes")
        }
        let big = Pictures.gradient(1280, 720)
        let (ts, _) = median { big.scaled(width: 640, height: 360).pixels.count }
        print("box scale 1280×720 → 640×360: \(ts)")
        let cells = big.fitting(columns: 120, rows: 40, cellWidth: 1, cellHeight: 2)
        let (th, hb) = median { HalfBlockRenderer(mode: .trueColor).render(cells).count }
        print("half-block \(cells.width)×\(cells.height) px (120×40 cells max), true colour: \(th), \(hb) bytes")
    }
}
